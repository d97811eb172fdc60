using System.Security.Cryptography;
using System.Text;

namespace DiffuGts.Node.Jobs;

/// <summary>Job identifiers: deterministic, file-name safe, and the same after a restart for the same work.</summary>
public static class JobId
{
    public static string For(string calledAe, string studyUid, string seriesUid, string ruleName, int release)
    {
        var text = string.Join('\n', calledAe.Trim(), studyUid, seriesUid, ruleName, release.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(text));
        return Convert.ToHexStringLower(hash.AsSpan(0, 12));
    }
}
