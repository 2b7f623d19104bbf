using Ihui.Features.Common.Pipeline;
using Ihui.Features.Story.Shared;
using Mediator;

namespace Ihui.Features.Story.Characters;

public sealed class CreateCharacterHandler(CharacterStore characters, CurrentCaller current) : IRequestHandler<CreateCharacterRequest, CharacterView>
{
    public async ValueTask<CharacterView> Handle(CreateCharacterRequest r, CancellationToken ct) =>
        CharacterView.From(await characters.CreateAsync(new CharacterRow
        {
            OwnerId = current.Caller.UserId, Name = r.Name!.Trim(), Avatar = r.Avatar, Personality = r.Personality, Background = r.Background,
            Description = r.Description, ImageUrl = r.ImageUrl, IconUrl = r.IconUrl,
        }, ct));
}

public sealed class CreateFromAvatarHandler(CharacterStore characters, CurrentCaller current) : IRequestHandler<CreateFromAvatarRequest, CharacterView>
{
    public async ValueTask<CharacterView> Handle(CreateFromAvatarRequest r, CancellationToken ct) =>
        CharacterView.From(await characters.CreateAsync(new CharacterRow
        {
            OwnerId = current.Caller.UserId, Name = r.CharacterName!.Trim(), Avatar = r.ImageUrl, Personality = r.Personality,
            Description = r.CharacterDescription, ImageUrl = r.ImageUrl, IconUrl = r.IconUrl, ImagePrompt = r.ImagePrompt, Language = r.Language,
            LlmId = r.LlmId,
        }, ct));
}

public sealed class ListCharactersHandler(CharacterStore characters, CurrentCaller current) : IRequestHandler<ListCharactersRequest, Page<CharacterView>>
{
    public async ValueTask<Page<CharacterView>> Handle(ListCharactersRequest r, CancellationToken ct)
    {
        var page = await characters.PageAsync(current.Caller.UserId, Paging.Of(r), ct);
        return new Page<CharacterView>(page.Total, page.Items.Select(CharacterView.From).ToList());
    }
}

public sealed class MyCharactersHandler(CharacterStore characters, CurrentCaller current) : IRequestHandler<MyCharactersRequest, IReadOnlyList<CharacterView>>
{
    public async ValueTask<IReadOnlyList<CharacterView>> Handle(MyCharactersRequest r, CancellationToken ct) =>
        (await characters.OwnAsync(current.Caller.UserId, ct)).Select(CharacterView.From).ToList();
}

public sealed class GetCharacterHandler(CharacterStore characters, CurrentCaller current) : IRequestHandler<GetCharacterRequest, CharacterView>
{
    public async ValueTask<CharacterView> Handle(GetCharacterRequest r, CancellationToken ct) =>
        CharacterView.From(await characters.FindVisibleAsync(current.Caller.UserId, r.Id, ct) ?? throw Ownership.NotFound("Character"));
}

public sealed class GetNarratorHandler(CharacterStore characters) : IRequestHandler<GetNarratorRequest, CharacterView>
{
    public async ValueTask<CharacterView> Handle(GetNarratorRequest r, CancellationToken ct) =>
        CharacterView.From(await characters.NarratorAsync(ct) ?? throw Ownership.NotFound("Narrator"));
}

public sealed class UpdateCharacterHandler(CharacterStore characters, CurrentCaller current, TimeProvider clock) : IRequestHandler<UpdateCharacterRequest, CharacterView>
{
    public async ValueTask<CharacterView> Handle(UpdateCharacterRequest r, CancellationToken ct)
    {
        var row = await Owned(characters, current, r.Id, ct);
        row = row with
        {
            Name = r.Name?.Trim() ?? row.Name, Avatar = r.Avatar ?? row.Avatar, Personality = r.Personality ?? row.Personality,
            Background = r.Background ?? row.Background, Description = r.Description ?? row.Description, ImageUrl = r.ImageUrl ?? row.ImageUrl,
            IconUrl = r.IconUrl ?? row.IconUrl, UpdatedAt = clock.GetUtcNow().UtcDateTime,
        };
        await characters.UpdateAsync(row, ct);
        return CharacterView.From(row);
    }

    /// <summary>The caller's own character: 404 when the caller cannot see it, 403 when it is someone else's (or the platform's).</summary>
    internal static async Task<CharacterRow> Owned(CharacterStore characters, CurrentCaller current, string id, CancellationToken ct)
    {
        var userId = current.Caller.UserId;
        var row = await characters.FindVisibleAsync(userId, id, ct);
        Ownership.EnsureOwner("Character", row?.OwnerId, row is not null, userId);
        return row!;
    }
}

public sealed class DeleteCharacterHandler(CharacterStore characters, CurrentCaller current) : IRequestHandler<DeleteCharacterRequest, Unit>
{
    public async ValueTask<Unit> Handle(DeleteCharacterRequest r, CancellationToken ct)
    {
        await UpdateCharacterHandler.Owned(characters, current, r.Id, ct);
        await characters.DeleteAsync(r.Id, ct);
        return Unit.Value;
    }
}
