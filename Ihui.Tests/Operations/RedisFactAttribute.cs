namespace Ihui.Tests.Operations;

/// <summary>Runs where a Redis server is given (<c>IHUI_TEST_REDIS</c>, as in CI).</summary>
public sealed class RedisFactAttribute : FactAttribute
{
    public RedisFactAttribute()
    {
        if (Infrastructure.ClusterApp.RedisUrl is null) Skip = "needs IHUI_TEST_REDIS (CI sets it)";
    }
}
