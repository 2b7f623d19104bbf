using System.Xml.Linq;
using Dapper;
using Ihui.Features.Common.Data;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace Ihui.Features.Common.Wallet;

/// <summary>
/// Data Protection's key ring kept in the database (<c>data_protection_keys</c>), so every instance on the same
/// database shares it and tokens sealed by one can be opened by another, across restarts.
/// </summary>
public sealed class DbXmlRepository(Db db, TimeProvider clock) : IXmlRepository
{
    // Data Protection's repository contract is synchronous; it is called when the key ring is loaded or a key is made.
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var c = db.OpenAsync().GetAwaiter().GetResult();
        return c.Query<string>("SELECT xml FROM data_protection_keys ORDER BY created_at, name").Select(x => XElement.Parse(x)).ToList();
    }

    public void StoreElement(XElement element, string friendlyName) =>
        db.ExecuteWriteAsync("INSERT INTO data_protection_keys (name, xml, created_at) VALUES (@Name, @Xml, @Now)",
            new { Name = friendlyName, Xml = element.ToString(SaveOptions.DisableFormatting), Now = clock.GetUtcNow().UtcDateTime })
            .GetAwaiter().GetResult();
}
