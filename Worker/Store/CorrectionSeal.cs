using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace CollectionWorker.Store;

/// <summary>
/// Marks a teacher's roster so the corrections that come back in it can be trusted: each student row
/// carries a key (the student's id and a MAC over it) and the workbook carries a seal over the teacher it
/// was sent to. Both are HMAC-SHA256 with a random secret that never leaves the store (table
/// correction_secret), so a key typed over, a row copied from a workbook of another installation, or the
/// hidden teacher changed by hand is recognised. Written by Notifications, checked by Corrections.
/// </summary>
public sealed class CorrectionSeal(byte[] secret)
{
    private const string KeyPrefix = "S";

    /// <summary>"S{id}-{16 hex}": the hidden key of a student's row.</summary>
    public string RowKey(long studentId) => $"{KeyPrefix}{studentId.ToString(CultureInfo.InvariantCulture)}-{Mac($"row:{studentId}")[..16]}";

    /// <summary>The student id a key names, or null when it is not a key this store wrote.</summary>
    public long? StudentOf(string key)
    {
        key = key.Trim();
        var dash = key.IndexOf('-');
        if (!key.StartsWith(KeyPrefix, StringComparison.Ordinal) || dash < 2) return null;
        if (!long.TryParse(key.AsSpan(1, dash - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var id)) return null;
        return FixedTimeEquals(key, RowKey(id)) ? id : null;
    }

    /// <summary>The seal over the teacher's e-mail (case-insensitive) and the moment the workbook was made.</summary>
    public string TeacherSeal(string teacherEmail, string issuedAt) => Mac($"teacher:{teacherEmail.Trim().ToLowerInvariant()}|{issuedAt}");

    public bool IsTeacherSeal(string seal, string teacherEmail, string issuedAt) => FixedTimeEquals(seal.Trim(), TeacherSeal(teacherEmail, issuedAt));

    private string Mac(string text) => Convert.ToHexStringLower(HMACSHA256.HashData(secret, Encoding.UTF8.GetBytes(text)));

    private static bool FixedTimeEquals(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(a), Encoding.UTF8.GetBytes(b));
}

/// <summary>The seal of this store, made on first use; implemented by the Corrections stage, which owns the secret.</summary>
public interface ICorrectionSeals
{
    Task<CorrectionSeal> SealAsync(CancellationToken ct = default);
}
