using System.Text.RegularExpressions;
using Nethereum.Signer;
using Nethereum.Util;

namespace Ihui.Features.Common.Wallet;

/// <summary>Ethereum addresses and EIP-191 <c>personal_sign</c> signatures.</summary>
public static partial class WalletAddress
{
    [GeneratedRegex("^0x[0-9a-fA-F]{40}$")]
    private static partial Regex AddressPattern();

    [GeneratedRegex("^0x[0-9a-fA-F]{130}$")]
    private static partial Regex SignaturePattern();

    public static bool IsValid(string? address) => address is not null && AddressPattern().IsMatch(address);
    public static bool IsSignature(string? signature) => signature is not null && SignaturePattern().IsMatch(signature);

    /// <summary>The form addresses are stored and compared in: lower case.</summary>
    public static string Normalize(string address) => address.ToLowerInvariant();

    /// <summary>The EIP-55 mixed-case form, as wallets show it and as the sign-in message carries it.</summary>
    public static string Checksummed(string address) => AddressUtil.Current.ConvertToChecksumAddress(address);

    /// <summary>
    /// The address that signed <paramref name="message"/> (UTF-8, with the EIP-191 prefix), lower case; null when the
    /// signature is not one. The recovery id may be given as 27/28 or as 0/1.
    /// </summary>
    public static string? RecoverPersonalSign(string message, string signature)
    {
        if (!IsSignature(signature)) return null;
        var v = Convert.ToByte(signature[^2..], 16);
        if (v is 0 or 1) signature = signature[..^2] + (v + 27).ToString("x2");
        else if (v is not (27 or 28)) return null;
        try
        {
            return Normalize(new EthereumMessageSigner().EncodeUTF8AndEcRecover(message, signature));
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidOperationException or IndexOutOfRangeException)
        {
            return null;
        }
    }
}
