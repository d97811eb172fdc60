using System.Buffers.Binary;
using System.Globalization;
using DiffuGts.Dicom;
using DiffuGts.Dicom.Dictionary;

namespace DiffuGts.Testing;

/// <summary>
/// Slices of one synthetic CT series for the fuzz seed corpus and the Part 10 benchmark: <see cref="SyntheticDicom.CtImage"/>
/// made slice <c>index</c> of a series, with given 16-bit unsigned pixels (12 stored) and a referenced-image sequence so
/// readers meet nesting.
/// </summary>
public static class SyntheticCtSlice
{
    public static DicomDataset Dataset(int index, int rows, int columns, ReadOnlyMemory<byte> pixels)
    {
        var ds = SyntheticDicom.CtImage(rows, columns);
        ds.AddOrUpdate(DicomTags.SOPInstanceUID, string.Create(CultureInfo.InvariantCulture, $"{SyntheticDicom.SeriesUid}.{index + 1}"));
        ds.AddOrUpdate(DicomTags.InstanceNumber, index + 1);
        var reference = new DicomDataset();
        reference.AddOrUpdate(DicomTags.ReferencedSOPClassUID, DicomUids.CTImageStorage);
        reference.AddOrUpdate(DicomTags.ReferencedSOPInstanceUID, string.Create(CultureInfo.InvariantCulture, $"{SyntheticDicom.SeriesUid}.{index + 2}"));
        ds.AddOrUpdate(new DicomSequence(DicomTags.ReferencedImageSequence, reference));
        ds.AddOrUpdate(DicomTags.BitsStored, (ushort)12);
        ds.AddOrUpdate(DicomTags.HighBit, (ushort)11);
        ds.AddOrUpdate(DicomTags.PixelRepresentation, (ushort)0);
        ds.AddOrUpdate(DicomTags.PixelData, DicomVR.OW, pixels);
        return ds;
    }

    /// <summary>Little-endian 16-bit pixels of one slice.</summary>
    public static byte[] Pixels(int rows, int columns, int seed)
    {
        var random = new Random(seed);
        var pixels = new byte[rows * columns * 2];
        for (var y = 0; y < rows; y++)
        {
            for (var x = 0; x < columns; x++)
            {
                int dx = x - (columns / 2), dy = y - (rows / 2);
                var inside = (dx * dx) + (dy * dy) < rows * rows / 6;
                var value = inside ? 1000 + (x / 4) + random.Next(-30, 31) : random.Next(0, 20);
                BinaryPrimitives.WriteUInt16LittleEndian(pixels.AsSpan(2 * ((y * columns) + x)), (ushort)value);
            }
        }

        return pixels;
    }
}
