using Dapper;
using Ihui.Features.Common.Data;
using Ihui.Features.Common.Errors;

namespace Ihui.Features.Common.Chat;

public sealed record ChatHistoryMessage(string Role, string Content);

/// <summary>
/// Conversations by <c>chat_id</c>: the stored turns (<c>chat_messages</c>) and who owns the chat (<c>chats</c>).
/// A chat belongs to the user whose turn first stored a message under it; anyone else gets 403.
/// </summary>
public sealed class ChatHistoryStore(Db db)
{
    /// <summary>The newest turns of the chat, oldest first, within <paramref name="maxMessages"/> and <paramref name="maxChars"/>.</summary>
    public async Task<IReadOnlyList<ChatHistoryMessage>> LoadAsync(string chatId, string userId, int maxMessages, int maxChars, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        var owner = await c.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT user_id FROM chats WHERE id = @chatId", new { chatId }, cancellationToken: ct));
        if (owner is null) return [];
        if (owner != userId) throw NotYours();
        if (maxMessages <= 0 || maxChars <= 0) return [];

        var newestFirst = await c.QueryAsync<ChatHistoryMessage>(new CommandDefinition(
            "SELECT role AS Role, content AS Content FROM chat_messages WHERE chat_id = @chatId " +
            "ORDER BY created_at DESC, CASE role WHEN 'user' THEN 0 ELSE 1 END DESC LIMIT @maxMessages",
            new { chatId, maxMessages }, cancellationToken: ct));
        var kept = new List<ChatHistoryMessage>();
        var chars = 0;
        foreach (var m in newestFirst)
        {
            chars += m.Content.Length;
            if (chars > maxChars) break;
            kept.Add(m);
        }
        // Never start the history with an orphan assistant answer.
        if (kept.Count > 0 && kept[^1].Role != "user") kept.RemoveAt(kept.Count - 1);
        kept.Reverse();
        return kept;
    }

    /// <summary>
    /// Stores one completed turn, claiming the chat for the user if it is new. Both messages carry the turn's start
    /// time, so turns keep the order in which they were asked (question before answer within a turn).
    /// </summary>
    public Task AppendTurnAsync(string chatId, string userId, string prompt, string answer, DateTime startedAt) =>
        db.WriteAsync(async (c, tx) =>
        {
            var insertIgnore = db.Dialect == SqlDialect.MySql ? "INSERT IGNORE" : "INSERT OR IGNORE";
            await c.ExecuteAsync($"{insertIgnore} INTO chats (id, user_id, created_at) VALUES (@chatId, @userId, @startedAt)",
                new { chatId, userId, startedAt }, tx);
            var owner = await c.ExecuteScalarAsync<string>($"SELECT user_id FROM chats WHERE id = @chatId{db.ForUpdate}", new { chatId }, tx);
            if (owner != userId) throw NotYours();
            await c.ExecuteAsync(
                "INSERT INTO chat_messages (id, chat_id, user_id, role, content, created_at) VALUES (@Id, @ChatId, @UserId, @Role, @Content, @CreatedAt)",
                new[]
                {
                    new { Id = Guid.NewGuid().ToString(), ChatId = chatId, UserId = userId, Role = "user", Content = prompt, CreatedAt = startedAt },
                    new { Id = Guid.NewGuid().ToString(), ChatId = chatId, UserId = userId, Role = "assistant", Content = answer, CreatedAt = startedAt },
                }, tx);
        });

    private static ApiException NotYours() => ApiException.Forbidden("chat_id belongs to another user");
}
