using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Scheduler.Web.Auth;

/// <summary>
/// Matches a presented key against the configured SHA-256 hashes. The presented key is hashed once and compared with
/// every configured hash in constant time, so neither a key's content nor which entry it resembles shows in timing.
/// </summary>
public sealed class ApiKeyStore(IOptionsMonitor<AuthOptions> options)
{
    /// <summary>The longest key accepted; anything longer is refused before hashing.</summary>
    public const int MaxKeyLength = 512;

    /// <summary>The identity of <paramref name="presented"/>, or null when no configured key matches.</summary>
    public ApiKeyIdentity? Match(string presented)
    {
        if (presented.Length is 0 or > MaxKeyLength)
        {
            return null;
        }

        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(presented), hash);
        ApiKeyIdentity? found = null;
        Span<byte> configured = stackalloc byte[32];
        foreach (var (name, entry) in options.CurrentValue.ApiKeys)
        {
            if (!TryDecode(entry.Sha256, configured))
            {
                continue;
            }

            // No early exit: every entry is compared whatever matched.
            if (CryptographicOperations.FixedTimeEquals(hash, configured))
            {
                found = new ApiKeyIdentity(name, entry.Role.ToLower(CultureInfo.InvariantCulture), Fingerprint(entry.Sha256));
            }
        }

        return found;
    }

    /// <summary>Whether a signed-in identity still matches configuration (the key was not removed, re-roled or rotated).</summary>
    public bool IsCurrent(string name, string role, string fingerprint) =>
        options.CurrentValue.ApiKeys.TryGetValue(name, out var entry)
        && string.Equals(entry.Role, role, StringComparison.OrdinalIgnoreCase)
        && Fingerprint(entry.Sha256) == fingerprint;

    /// <summary>Whether any key is configured; with none, nothing but health is reachable.</summary>
    public bool Any => options.CurrentValue.ApiKeys.Count > 0;

    private static string Fingerprint(string sha256) => sha256[..Math.Min(12, sha256.Length)].ToLower(CultureInfo.InvariantCulture);

    private static bool TryDecode(string hex, Span<byte> into) =>
        hex.Length == 64 && Convert.FromHexString(hex, into, out _, out var written) == System.Buffers.OperationStatus.Done && written == 32;
}
