using BenchmarkDotNet.Attributes;
using DiffuGts.Dicom.Codecs;

namespace DiffuGts.Benchmarks;

/// <summary>Decode (and RLE encode) of one 512×512 16-bit CT-like slice, the frame size the node mostly receives.</summary>
[MemoryDiagnoser]
public class CodecBenchmarks
{
    private CodecWorkload _workload = null!;
    private byte[] _destination = null!;

    [GlobalSetup]
    public void Setup()
    {
        _workload = CodecWorkload.CtSlice(512, 512, seed: 1);
        _destination = new byte[_workload.Info.FrameLength];
    }

    [Benchmark]
    public void JpegLosslessDecode() =>
        new JpegLosslessCodec(JpegLosslessCodec.FirstOrderPredictionUid).DecodeFrame(_workload.Jpeg, _workload.Info, _destination);

    [Benchmark]
    public void RleDecode() => new RleLosslessCodec().DecodeFrame(_workload.Rle, _workload.Info, _destination);

    [Benchmark]
    public byte[] RleEncode() => RleLosslessCodec.EncodeFrame(_workload.Native, _workload.Info);
}
