using System.Text.Json.Serialization;
using Ihui.Features.Common.Admin;
using Ihui.Features.Common.Http;
using Mediator;

namespace Ihui.Features.Admin.SetStoryEditor;

/// <summary>
/// <c>POST /admin/story_editor {"wallet_address", "is_editor"}</c>: makes a wallet that has signed in a platform editor
/// of seed 003's catalogs (or no longer one). Wallets in <c>STORY_EDITOR_WALLETS</c> stay editors whatever this says.
/// </summary>
public sealed record SetStoryEditorRequest : IRequest<SeedReply>, IAdminRequest
{
    public string? WalletAddress { get; init; }
    public bool? IsEditor { get; init; }
    [JsonIgnore] public string? AccessToken { get; init; }
}
