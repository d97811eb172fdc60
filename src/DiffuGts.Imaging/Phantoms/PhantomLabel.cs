namespace DiffuGts.Imaging.Phantoms;

/// <summary>
/// Organ label IDs of a phantom's label map (docs/phantoms.md lists them with their nominal HU). The values are a file
/// format: NIfTI label volumes and the sidecar legend carry them, so never renumber, only append. Vessels inside the liver
/// and lungs keep the organ's label, as most public organ ground truths do.
/// </summary>
public enum PhantomLabel : byte
{
    /// <summary>Air outside the body (and the CT table).</summary>
    Background = 0,
    Skin = 1,
    SubcutaneousFat = 2,
    Muscle = 3,
    /// <summary>Intra-abdominal, retroperitoneal and mediastinal fat.</summary>
    VisceralFat = 4,
    /// <summary>Vertebral bodies and posterior elements: cortical shell over cancellous bone.</summary>
    Vertebra = 5,
    IntervertebralDisc = 6,
    /// <summary>Thecal sac in the spinal canal.</summary>
    SpinalCanal = 7,
    /// <summary>Ribs, sternum and costal cartilage.</summary>
    Rib = 8,
    Lung = 9,
    Liver = 10,
    Spleen = 11,
    KidneyCortex = 12,
    KidneyMedulla = 13,
    Pancreas = 14,
    Stomach = 15,
    /// <summary>Small bowel and colon: wall and contents (fluid, air, stool).</summary>
    Bowel = 16,
    Gallbladder = 17,
    Aorta = 18,
    InferiorVenaCava = 19,
    /// <summary>Portal and splenic veins outside the liver.</summary>
    PortalVein = 20,
    Heart = 21,
    /// <summary>Trachea and main bronchi (air with a soft-tissue wall).</summary>
    Airway = 22,
    Esophagus = 23,
    /// <summary>Renal pelvis (urine) inside the renal sinus.</summary>
    RenalPelvis = 24,
    /// <summary>Pulmonary trunk and main pulmonary arteries.</summary>
    PulmonaryArtery = 25,
    RenalVein = 26,
}
