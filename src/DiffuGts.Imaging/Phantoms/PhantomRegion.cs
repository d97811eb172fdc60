namespace DiffuGts.Imaging.Phantoms;

/// <summary>Which part of the one anatomical model the volume covers.</summary>
public enum PhantomRegion
{
    /// <summary>From the lung bases and liver dome down through the kidneys (the upper edge is fixed; larger volumes reach lower).</summary>
    Abdomen,
    /// <summary>From the liver dome and spleen up through the heart towards the lung apices.</summary>
    Thorax,
}
