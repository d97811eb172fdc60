namespace DiffuGts.Node.Assembly;

public enum SeriesState
{
    /// <summary>Instances are arriving; the quiet timer runs.</summary>
    Receiving,

    /// <summary>Quiet for the idle timeout (or past the maximum age): handed to routing and segmentation.</summary>
    Released,
}
