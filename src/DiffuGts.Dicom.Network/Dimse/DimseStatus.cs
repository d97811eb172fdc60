namespace DiffuGts.Dicom.Network.Dimse;

/// <summary>
/// A (0000,0900) Status value with its class, from PS3.7 Annex C (general codes) and PS3.4 §B.2.3 (storage codes);
/// dicom-facts §3.3. DIMSE outcomes are values, not exceptions (STYLE §9).
/// </summary>
public readonly record struct DimseStatus(ushort Code)
{
    public static readonly DimseStatus Success = new(0x0000);

    /// <summary>Storage warning: coercion of data elements.</summary>
    public static readonly DimseStatus CoercionOfDataElements = new(0xB000);

    /// <summary>Storage warning: data set does not match SOP class.</summary>
    public static readonly DimseStatus DataSetDoesNotMatchSopClassWarning = new(0xB007);

    /// <summary>Storage warning: elements discarded.</summary>
    public static readonly DimseStatus ElementsDiscarded = new(0xB006);

    /// <summary>Storage failure A7xx: refused, out of resources.</summary>
    public static readonly DimseStatus OutOfResources = new(0xA700);

    /// <summary>Storage failure A9xx: data set does not match SOP class.</summary>
    public static readonly DimseStatus DataSetDoesNotMatchSopClass = new(0xA900);

    /// <summary>Storage failure Cxxx: cannot understand.</summary>
    public static readonly DimseStatus CannotUnderstand = new(0xC000);

    public static readonly DimseStatus ProcessingFailure = new(0x0110);
    public static readonly DimseStatus DuplicateSopInstance = new(0x0111);
    public static readonly DimseStatus InvalidObjectInstance = new(0x0117);
    public static readonly DimseStatus SopClassNotSupported = new(0x0122);
    public static readonly DimseStatus NotAuthorized = new(0x0124);
    public static readonly DimseStatus DuplicateInvocation = new(0x0210);
    public static readonly DimseStatus UnrecognizedOperation = new(0x0211);
    public static readonly DimseStatus MistypedArgument = new(0x0212);
    public static readonly DimseStatus ResourceLimitation = new(0x0213);
    public static readonly DimseStatus Cancel = new(0xFE00);

    public StatusCategory Category => Code switch
    {
        0x0000 => StatusCategory.Success,
        0x0001 or 0x0107 or 0x0116 => StatusCategory.Warning,
        >= 0xB000 and <= 0xBFFF => StatusCategory.Warning,
        0xFE00 => StatusCategory.Cancel,
        0xFF00 or 0xFF01 => StatusCategory.Pending,
        _ => StatusCategory.Failure,
    };

    public bool IsSuccess => Category == StatusCategory.Success;

    /// <summary>Success or warning: the instance was stored.</summary>
    public bool IsStored => Category is StatusCategory.Success or StatusCategory.Warning;

    public string Meaning => Code switch
    {
        0x0000 => "Success",
        0xB000 => "Warning: coercion of data elements",
        0xB006 => "Warning: elements discarded",
        0xB007 => "Warning: data set does not match SOP class",
        >= 0xA700 and <= 0xA7FF => "Refused: out of resources",
        >= 0xA900 and <= 0xA9FF => "Error: data set does not match SOP class",
        >= 0xC000 and <= 0xCFFF => "Error: cannot understand",
        0x0110 => "Processing failure",
        0x0111 => "Duplicate SOP instance",
        0x0117 => "Invalid object instance",
        0x0122 => "Refused: SOP class not supported",
        0x0124 => "Refused: not authorised",
        0x0210 => "Duplicate invocation",
        0x0211 => "Unrecognised operation",
        0x0212 => "Mistyped argument",
        0x0213 => "Resource limitation",
        0xFE00 => "Cancel",
        _ => "Unknown status",
    };

    public override string ToString() => $"0x{Code:X4} ({Meaning})";
}
