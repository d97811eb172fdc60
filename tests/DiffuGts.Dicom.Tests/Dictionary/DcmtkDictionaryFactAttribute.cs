using DiffuGts.Testing;
using Xunit;

namespace DiffuGts.Dicom.Tests.Dictionary;

/// <summary>
/// Runs where DCMTK's data dictionary is installed (Debian libdcmtk17: /usr/share/libdcmtk17/dicom.dic). Skipped with a
/// reason elsewhere, except under CI=true, where the test runs and fails. The file is read at test time, never copied.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class DcmtkDictionaryFactAttribute : FactAttribute
{
    public DcmtkDictionaryFactAttribute()
    {
        if (DcmtkDictionary.Find() is null && !Peers.IsCi)
        {
            Skip = "DCMTK's dicom.dic is not installed (apt-get install libdcmtk17 or dcmtk)";
        }
    }
}
