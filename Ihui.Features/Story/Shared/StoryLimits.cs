namespace Ihui.Features.Story.Shared;

/// <summary>Longest accepted values (characters) of the platform's fields.</summary>
public static class StoryLimits
{
    public const int Name = 200;
    public const int Url = 2048;
    public const int Text = 20_000;
    public const int LongText = 100_000;
    public const int JsonChars = 200_000;
}
