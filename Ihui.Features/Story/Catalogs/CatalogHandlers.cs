using Ihui.Features.Common.Data;
using Ihui.Features.Common.Errors;
using Ihui.Features.Common.Pipeline;
using Ihui.Features.Story.Shared;
using Ihui.Features.Common.Wallet;
using Mediator;

namespace Ihui.Features.Story.Catalogs;

public sealed class ListLanguagesHandler(LanguageStore languages) : IRequestHandler<ListLanguagesRequest, IReadOnlyList<LanguageView>>
{
    public async ValueTask<IReadOnlyList<LanguageView>> Handle(ListLanguagesRequest r, CancellationToken ct) =>
        (await languages.ListAsync(ct)).Select(SaveLanguageHandler.View).ToList();
}

public sealed class GetLanguageHandler(LanguageStore languages) : IRequestHandler<GetLanguageRequest, LanguageView>
{
    public async ValueTask<LanguageView> Handle(GetLanguageRequest r, CancellationToken ct) =>
        SaveLanguageHandler.View(await languages.FindAsync(r.Id, ct) ?? throw Ownership.NotFound("Language"));
}

public sealed class SaveLanguageHandler(LanguageStore languages, TimeProvider clock) : IRequestHandler<SaveLanguageRequest, LanguageView>
{
    public async ValueTask<LanguageView> Handle(SaveLanguageRequest r, CancellationToken ct)
    {
        var name = r.Language!.Trim();
        try
        {
            if (r.Id is null)
            {
                var row = new LanguageRow(StoryJson.NewId(clock), name, clock.GetUtcNow().UtcDateTime);
                await languages.InsertAsync(row, ct);
                return View(row);
            }
            if (!await languages.UpdateAsync(r.Id, name, ct)) throw Ownership.NotFound("Language");
            return View((await languages.FindAsync(r.Id, ct))!);
        }
        catch (Exception e) when (DbErrors.IsUniqueViolation(e))
        {
            throw ApiException.Conflict($"Language '{name}' already exists");
        }
    }

    public static LanguageView View(LanguageRow l) => new(l.Id, l.Language, StoryJson.Time(l.CreatedAt));
}

public sealed class DeleteLanguageHandler(LanguageStore languages) : IRequestHandler<DeleteLanguageRequest, Unit>
{
    public async ValueTask<Unit> Handle(DeleteLanguageRequest r, CancellationToken ct) =>
        await languages.DeleteAsync(r.Id, ct) ? Unit.Value : throw Ownership.NotFound("Language");
}

public sealed class ListMusicHandler(MusicStore music) : IRequestHandler<ListMusicRequest, IReadOnlyList<MusicView>>
{
    public async ValueTask<IReadOnlyList<MusicView>> Handle(ListMusicRequest r, CancellationToken ct) =>
        (await music.ListAsync(string.IsNullOrEmpty(r.Type) ? null : r.Type, ct)).Select(SaveMusicHandler.View).ToList();
}

public sealed class MusicTypesHandler(MusicStore music) : IRequestHandler<MusicTypesRequest, IReadOnlyList<string>>
{
    public async ValueTask<IReadOnlyList<string>> Handle(MusicTypesRequest r, CancellationToken ct) => await music.TypesAsync(ct);
}

public sealed class GetMusicHandler(MusicStore music) : IRequestHandler<GetMusicRequest, MusicView>
{
    public async ValueTask<MusicView> Handle(GetMusicRequest r, CancellationToken ct) =>
        SaveMusicHandler.View(await music.FindAsync(r.Id, ct) ?? throw Ownership.NotFound("Music"));
}

public sealed class SaveMusicHandler(MusicStore music, TimeProvider clock) : IRequestHandler<SaveMusicRequest, MusicView>
{
    public async ValueTask<MusicView> Handle(SaveMusicRequest r, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        if (r.Id is null)
        {
            var row = new MusicRow { Id = StoryJson.NewId(clock), Name = r.Name!.Trim(), Url = r.Url!, Type = r.Type!.Trim(), CreatedAt = now, UpdatedAt = now };
            await music.InsertAsync(row, ct);
            return View(row);
        }
        var old = await music.FindAsync(r.Id, ct) ?? throw Ownership.NotFound("Music");
        var updated = old with { Name = r.Name?.Trim() ?? old.Name, Url = r.Url ?? old.Url, Type = r.Type?.Trim() ?? old.Type, UpdatedAt = now };
        await music.UpdateAsync(updated, ct);
        return View(updated);
    }

    public static MusicView View(MusicRow m) => new(m.Id, m.Name, m.Url, m.Type, StoryJson.Time(m.CreatedAt), StoryJson.Time(m.UpdatedAt));
}

public sealed class DeleteMusicHandler(MusicStore music) : IRequestHandler<DeleteMusicRequest, Unit>
{
    public async ValueTask<Unit> Handle(DeleteMusicRequest r, CancellationToken ct) =>
        await music.DeleteAsync(r.Id, ct) ? Unit.Value : throw Ownership.NotFound("Music");
}

public sealed class ListTemplatesHandler(StoryTemplateStore templates, WalletStore wallets, CurrentCaller current)
    : IRequestHandler<ListTemplatesRequest, IReadOnlyList<TemplateView>>
{
    public async ValueTask<IReadOnlyList<TemplateView>> Handle(ListTemplatesRequest r, CancellationToken ct)
    {
        var (_, editor) = await wallets.AccountAsync(current.Caller.UserId, ct);
        return (await templates.ListAsync(r.Status, ct)).Select(t => SaveTemplateHandler.View(t, editor)).ToList();
    }
}

public sealed class GetTemplateHandler(StoryTemplateStore templates, WalletStore wallets, CurrentCaller current) : IRequestHandler<GetTemplateRequest, TemplateView>
{
    public async ValueTask<TemplateView> Handle(GetTemplateRequest r, CancellationToken ct)
    {
        var template = await templates.FindAsync(r.Id, ct) ?? throw Ownership.NotFound("Story template");
        var (_, editor) = await wallets.AccountAsync(current.Caller.UserId, ct);
        return SaveTemplateHandler.View(template, editor);
    }
}

public sealed class SaveTemplateHandler(StoryTemplateStore templates, TimeProvider clock) : IRequestHandler<SaveTemplateRequest, TemplateView>
{
    public async ValueTask<TemplateView> Handle(SaveTemplateRequest r, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        if (r.Creating)
        {
            var row = new StoryTemplateRow
            {
                Id = r.Id ?? StoryJson.NewId(clock), Name = r.Name!.Trim(), Thumbnail = r.Thumbnail, Introduction = r.Introduction,
                Components = StoryJson.Text(r.Components) ?? "[]", MaxCharacters = r.MaxCharacters ?? 5, HiddenPrompt = r.HiddenPrompt,
                Status = r.Status ?? "active", CreatedAt = now, UpdatedAt = now,
            };
            try
            {
                await templates.InsertAsync(row, ct);
            }
            catch (Exception e) when (DbErrors.IsUniqueViolation(e))
            {
                throw ApiException.Conflict($"Story template '{row.Id}' already exists");
            }
            return View(row, true);
        }
        var old = await templates.FindAsync(r.Id!, ct) ?? throw Ownership.NotFound("Story template");
        var updated = old with
        {
            Name = r.Name?.Trim() ?? old.Name, Thumbnail = r.Thumbnail ?? old.Thumbnail, Introduction = r.Introduction ?? old.Introduction,
            Components = StoryJson.Text(r.Components) ?? old.Components, MaxCharacters = r.MaxCharacters ?? old.MaxCharacters,
            HiddenPrompt = r.HiddenPrompt ?? old.HiddenPrompt, Status = r.Status ?? old.Status, UpdatedAt = now,
        };
        await templates.UpdateAsync(updated, ct);
        return View(updated, true);
    }

    public static TemplateView View(StoryTemplateRow t, bool editor) => new(t.Id, t.Name, t.Thumbnail, t.Introduction, StoryJson.Parse(t.Components),
        t.MaxCharacters, editor ? t.HiddenPrompt : null, t.Status, StoryJson.Time(t.CreatedAt), StoryJson.Time(t.UpdatedAt));
}

public sealed class DeleteTemplateHandler(StoryTemplateStore templates) : IRequestHandler<DeleteTemplateRequest, Unit>
{
    public async ValueTask<Unit> Handle(DeleteTemplateRequest r, CancellationToken ct) =>
        await templates.DeleteAsync(r.Id, ct) ? Unit.Value : throw Ownership.NotFound("Story template");
}

public sealed class ListArtStylesHandler(PromptCatalogStore catalog) : IRequestHandler<ListArtStylesRequest, IReadOnlyList<ArtStyleView>>
{
    public async ValueTask<IReadOnlyList<ArtStyleView>> Handle(ListArtStylesRequest r, CancellationToken ct) =>
        (await catalog.ArtStylesAsync(r.Status, ct))
        .Select(a => new ArtStyleView(a.Id, a.Name, a.Keyword, a.Description, a.Thumbnail, a.Status, StoryJson.Time(a.CreatedAt))).ToList();
}

public sealed class GetPromptTemplateHandler(PromptCatalogStore catalog) : IRequestHandler<GetPromptTemplateRequest, PromptTemplateView>
{
    public async ValueTask<PromptTemplateView> Handle(GetPromptTemplateRequest r, CancellationToken ct)
    {
        var t = await catalog.PromptTemplateAsync(r.Type, ct) ?? throw Ownership.NotFound("Prompt template");
        return new PromptTemplateView(t.Id, t.Type, t.Name, t.Content, StoryJson.Time(t.CreatedAt), StoryJson.Time(t.UpdatedAt));
    }
}
