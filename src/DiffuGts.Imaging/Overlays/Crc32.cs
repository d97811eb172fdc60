namespace DiffuGts.Imaging.Overlays;

/// <summary>
/// CRC-32 as PNG uses it (PNG spec §5.5, ISO 3309 / ITU-T V.42): reflected polynomial 0xEDB88320, initial value and final
/// XOR 0xFFFFFFFF, table-driven one byte at a time.
/// </summary>
internal static class Crc32
{
    private static readonly uint[] Table = BuildTable();

    public static uint Compute(ReadOnlySpan<byte> data) => Append(0xFFFFFFFFu, data) ^ 0xFFFFFFFFu;

    /// <summary>Continues a running (not yet finalised) CRC register over more bytes.</summary>
    public static uint Append(uint register, ReadOnlySpan<byte> data)
    {
        foreach (var b in data)
        {
            register = Table[(register ^ b) & 0xFF] ^ (register >> 8);
        }

        return register;
    }

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (var n = 0u; n < 256; n++)
        {
            var c = n;
            for (var bit = 0; bit < 8; bit++)
            {
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            }

            table[n] = c;
        }

        return table;
    }
}
