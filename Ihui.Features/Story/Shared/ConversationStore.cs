using System.Data.Common;
using Dapper;
using Ihui.Features.Common.Data;

namespace Ihui.Features.Story.Shared;

public sealed record ConversationRow
{
    public string Id { get; init; } = "";
    public string UserId { get; init; } = "";
    public string StoryId { get; init; } = "";
    public string Status { get; init; } = "active";
    public string? LastMessageId { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime UpdatedAt { get; init; }
}

public sealed record MessageRow
{
    public string Id { get; init; } = "";
    public string ConversationId { get; init; } = "";
    public int Sequence { get; init; }
    public string Role { get; init; } = MessageRoles.User;
    public string? CharacterId { get; init; }
    public string? CharacterName { get; init; }
    public string Content { get; init; } = "";
    public bool IsOpening { get; init; }
    public bool Interrupted { get; init; }
    public DateTime CreatedAt { get; init; }
}

public static class MessageRoles
{
    public const string User = "user";
    public const string Assistant = "assistant";
}

/// <summary>A message to add: the store gives it its id, sequence and time.</summary>
public sealed record NewMessage(string Role, string Content, string? CharacterId = null, string? CharacterName = null,
    bool IsOpening = false, bool Interrupted = false);

/// <summary>
/// A user's conversations in stories and their messages. Messages are numbered from 1 in the order stored: an append
/// locks its conversation's row (MySQL) or runs on SQLite's one writer, so two appends never get the same number.
/// </summary>
public sealed class ConversationStore(Db db, TimeProvider clock)
{
    private const string Columns =
        "id AS Id, user_id AS UserId, story_id AS StoryId, status AS Status, last_message_id AS LastMessageId, created_at AS CreatedAt, updated_at AS UpdatedAt";

    private const string MessageColumns =
        "id AS Id, conversation_id AS ConversationId, sequence AS Sequence, role AS Role, character_id AS CharacterId, character_name AS CharacterName, " +
        "content AS Content, is_opening AS IsOpening, interrupted AS Interrupted, created_at AS CreatedAt";

    /// <summary>A new active conversation with its opening messages, in order, in one transaction.</summary>
    public async Task<ConversationRow> CreateAsync(string userId, string storyId, IReadOnlyList<NewMessage> openings, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var row = new ConversationRow { Id = StoryJson.NewId(clock), UserId = userId, StoryId = storyId, CreatedAt = now, UpdatedAt = now };
        return await db.WriteAsync(async (c, tx) =>
        {
            await c.ExecuteAsync(new CommandDefinition(
                "INSERT INTO conversations (id, user_id, story_id, status, last_message_id, created_at, updated_at) " +
                "VALUES (@Id, @UserId, @StoryId, @Status, NULL, @CreatedAt, @UpdatedAt)", row, tx, cancellationToken: ct));
            string? last = null;
            for (var i = 0; i < openings.Count; i++)
                last = (await InsertAsync(c, tx, row.Id, i + 1, openings[i], now, ct)).Id;
            if (last is not null) await SetLastAsync(c, tx, row.Id, last, now, ct);
            return row with { LastMessageId = last };
        }, ct);
    }

    /// <summary>The caller's newest conversation in a story, or null.</summary>
    public async Task<string?> LatestInStoryAsync(string userId, string storyId, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.QueryFirstOrDefaultAsync<string>(new CommandDefinition(
            "SELECT id FROM conversations WHERE user_id = @userId AND story_id = @storyId ORDER BY created_at DESC, id DESC LIMIT 1",
            new { userId, storyId }, cancellationToken: ct));
    }

    /// <summary>The conversation when it is the user's; null otherwise.</summary>
    public async Task<ConversationRow?> FindOwnedAsync(string userId, string id, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.QuerySingleOrDefaultAsync<ConversationRow>(new CommandDefinition(
            $"SELECT {Columns} FROM conversations WHERE id = @id AND user_id = @userId", new { id, userId }, cancellationToken: ct));
    }

    public async Task<MessageRow?> FindMessageAsync(string conversationId, string messageId, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.QuerySingleOrDefaultAsync<MessageRow>(new CommandDefinition(
            $"SELECT {MessageColumns} FROM conversation_messages WHERE id = @messageId AND conversation_id = @conversationId",
            new { conversationId, messageId }, cancellationToken: ct));
    }

    /// <summary>Adds messages at the end, numbered in order; the conversation's last message becomes the last of them.</summary>
    public async Task<IReadOnlyList<MessageRow>> AppendAsync(string conversationId, IReadOnlyList<NewMessage> messages, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        return await db.WriteAsync<IReadOnlyList<MessageRow>>(async (c, tx) =>
        {
            await c.ExecuteScalarAsync<string>(new CommandDefinition(
                $"SELECT id FROM conversations WHERE id = @conversationId{db.ForUpdate}", new { conversationId }, tx, cancellationToken: ct));
            var next = await c.ExecuteScalarAsync<int>(new CommandDefinition(
                "SELECT COALESCE(MAX(sequence), 0) FROM conversation_messages WHERE conversation_id = @conversationId",
                new { conversationId }, tx, cancellationToken: ct)) + 1;
            var rows = new List<MessageRow>(messages.Count);
            foreach (var m in messages) rows.Add(await InsertAsync(c, tx, conversationId, next++, m, now, ct));
            if (rows.Count > 0) await SetLastAsync(c, tx, conversationId, rows[^1].Id, now, ct);
            return rows;
        }, ct);
    }

    /// <summary>Up to <paramref name="limit"/> messages before the given sequence (all when null), oldest first.</summary>
    public Task<IReadOnlyList<MessageRow>> BeforeSequenceAsync(string conversationId, int? before, int limit, CancellationToken ct) =>
        PageAsync("(@before IS NULL OR sequence < @before)", new { conversationId, before, limit }, ct);

    /// <summary>Up to <paramref name="limit"/> messages stored before the given time (all when null), oldest first.</summary>
    public Task<IReadOnlyList<MessageRow>> BeforeTimeAsync(string conversationId, DateTime? before, int limit, CancellationToken ct) =>
        PageAsync("(@before IS NULL OR created_at < @before)", new { conversationId, before, limit }, ct);

    private async Task<IReadOnlyList<MessageRow>> PageAsync(string condition, object args, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        var rows = await c.QueryAsync<MessageRow>(new CommandDefinition(
            $"SELECT {MessageColumns} FROM conversation_messages WHERE conversation_id = @conversationId AND {condition} " +
            "ORDER BY sequence DESC LIMIT @limit", args, cancellationToken: ct));
        return rows.Reverse().ToList();
    }

    /// <summary>Deletes up to <paramref name="batch"/> messages stored before <paramref name="cutoff"/>; returns how many.</summary>
    public Task<int> SweepAsync(DateTime cutoff, int batch, CancellationToken ct) =>
        db.ExecuteWriteAsync(db.Dialect == SqlDialect.MySql
            ? "DELETE FROM conversation_messages WHERE created_at < @cutoff ORDER BY created_at LIMIT @batch"
            : "DELETE FROM conversation_messages WHERE id IN (SELECT id FROM conversation_messages WHERE created_at < @cutoff ORDER BY created_at LIMIT @batch)",
            new { cutoff, batch }, ct);

    private async Task<MessageRow> InsertAsync(DbConnection c, DbTransaction? tx, string conversationId, int sequence, NewMessage m, DateTime now, CancellationToken ct)
    {
        var row = new MessageRow
        {
            Id = StoryJson.NewId(clock), ConversationId = conversationId, Sequence = sequence, Role = m.Role, CharacterId = m.CharacterId,
            CharacterName = m.CharacterName, Content = m.Content, IsOpening = m.IsOpening, Interrupted = m.Interrupted, CreatedAt = now,
        };
        await c.ExecuteAsync(new CommandDefinition(
            "INSERT INTO conversation_messages (id, conversation_id, sequence, role, character_id, character_name, content, is_opening, interrupted, created_at) " +
            "VALUES (@Id, @ConversationId, @Sequence, @Role, @CharacterId, @CharacterName, @Content, @IsOpening, @Interrupted, @CreatedAt)",
            row, tx, cancellationToken: ct));
        return row;
    }

    private static Task SetLastAsync(DbConnection c, DbTransaction? tx, string id, string last, DateTime now, CancellationToken ct) =>
        c.ExecuteAsync(new CommandDefinition("UPDATE conversations SET last_message_id = @last, updated_at = @now WHERE id = @id",
            new { id, last, now }, tx, cancellationToken: ct));
}
