namespace DiffuGts.Imaging.Overlays;

/// <summary>
/// A 5×8 bitmap font for printable ASCII (0x20–0x7E), drawn for DiffuGts. Each glyph is 8 rows of 5 bits packed into
/// 40 bits, top row first, the leftmost pixel the high bit of its row. Rows 0–6 hold capitals and digits (baseline at
/// row 6); row 7 is the descender of g, j, p, q, y and the comma. A character cell is 6×10 (one column and two rows of gap).
/// </summary>
internal static class BitmapFont
{
    public const int GlyphWidth = 5;

    public const int GlyphHeight = 8;

    public const int CellWidth = GlyphWidth + 1;

    public const int CellHeight = GlyphHeight + 2;

    private const char First = ' ';

    private const char Last = '~';

    private static readonly ulong[] Glyphs =
    [
        0x0000000000, 0x2108420080, 0x5280000000, 0x52BEAFA940, 0x23E8E2F880, 0xC644444C60, 0x64A88AC9A0, 0x2100000000, //  !"#$%&'
        0x1110841040, 0x4104211100, 0x012AEA9000, 0x0109F21000, 0x0000003088, 0x0001F00000, 0x0000003180, 0x0044444000, // ()*+,-./
        0x74675CC5C0, 0x23084211C0, 0x74422223E0, 0xF88820C5C0, 0x11952F8840, 0xFC3C10C5C0, 0x3221E8C5C0, 0xF844442100, // 01234567
        0x7462E8C5C0, 0x7462F08980, 0x0318063000, 0x0318061100, 0x1111041040, 0x003E0F8000, 0x4104111100, 0x7442220080, // 89:;<=>?
        0x7442DAD5C0, 0x7463F8C620, 0xF463E8C7C0, 0x74610845C0, 0xE4A318CB80, 0xFC21E843E0, 0xFC21E84200, 0x746178C5E0, // @ABCDEFG
        0x8C63F8C620, 0x71084211C0, 0x3884214980, 0x8CA98A4A20, 0x84210843E0, 0x8EEB58C620, 0x8C7359C620, 0x746318C5C0, // HIJKLMNO
        0xF463E84200, 0x74631AC9A0, 0xF463EA4A20, 0x7C20E087C0, 0xF908421080, 0x8C6318C5C0, 0x8C6318A880, 0x8C635AD540, // PQRSTUVW
        0x8C54454620, 0x8C62A21080, 0xF8444443E0, 0x72108421C0, 0x0410410400, 0x70842109C0, 0x22A2000000, 0x00000003E0, // XYZ[\]^_
        0x4100000000, 0x001C17C5E0, 0x842D98C7C0, 0x001D0845C0, 0x085B38C5E0, 0x001D1FC1C0, 0x3251C42100, 0x001F18BC2E, // `abcdefg
        0x842D98C620, 0x20184211C0, 0x100C210A4C, 0x84254C5240, 0x61084211C0, 0x00355AD6A0, 0x002D98C620, 0x001D18C5C0, // hijklmno
        0x003D18FA10, 0x001F18BC21, 0x002D984200, 0x001F0707C0, 0x42388424C0, 0x002318CDA0, 0x002318A880, 0x00231AD540, // pqrstuvw
        0x0022A22A20, 0x002318BC2E, 0x003E2223E0, 0x1908821060, 0x2108421080, 0xC108221300, 0x0011510000, // xyz{|}~
    ];

    /// <summary>Characters outside printable ASCII are drawn as this one.</summary>
    public const char Replacement = '?';

    public static bool Covers(char c) => c is >= First and <= Last;

    /// <summary>True where glyph <paramref name="c"/> has ink at (<paramref name="x"/>, <paramref name="y"/>) of its 5×8 box.</summary>
    public static bool IsInk(char c, int x, int y)
    {
        if ((uint)x >= GlyphWidth || (uint)y >= GlyphHeight)
        {
            return false;
        }

        var glyph = Glyphs[(Covers(c) ? c : Replacement) - First];
        var row = (int)(glyph >> ((GlyphHeight - 1 - y) * GlyphWidth)) & 0x1F;
        return ((row >> (GlyphWidth - 1 - x)) & 1) != 0;
    }
}
