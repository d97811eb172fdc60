namespace DiffuGts.Imaging.Phantoms;

/// <summary>
/// Nominal attenuation (HU) and texture amplitude per label and contrast phase. Values follow typical adult CT:
/// fat −100, muscle 40–55, unenhanced liver 55–65 and portal venous liver ≈ 105, spleen slightly above liver, kidney
/// cortex brighter than medulla, lung ≈ −850, air −1000. Bone and some organs vary inside the label (cortex/marrow,
/// wall/lumen); those painters use this as the label's mean.
/// </summary>
internal static class TissueTable
{
    public static double Hu(PhantomLabel label, ContrastPhase phase)
    {
        var pv = phase == ContrastPhase.PortalVenous;
        return label switch
        {
            PhantomLabel.Background => -1000,
            PhantomLabel.Skin => 35,
            PhantomLabel.SubcutaneousFat => -105,
            PhantomLabel.Muscle => pv ? 58 : 48,
            PhantomLabel.VisceralFat => -95,
            PhantomLabel.Vertebra => 230,
            PhantomLabel.IntervertebralDisc => 85,
            PhantomLabel.SpinalCanal => 15,
            PhantomLabel.Rib => 260,
            PhantomLabel.Lung => -860,
            PhantomLabel.Liver => pv ? 105 : 60,
            PhantomLabel.Spleen => pv ? 115 : 50,
            PhantomLabel.KidneyCortex => pv ? 175 : 35,
            PhantomLabel.KidneyMedulla => pv ? 135 : 32,
            PhantomLabel.Pancreas => pv ? 95 : 45,
            PhantomLabel.Stomach => pv ? 85 : 42,
            PhantomLabel.Bowel => pv ? 95 : 42,
            PhantomLabel.Gallbladder => 8,
            PhantomLabel.Aorta => pv ? 165 : 42,
            PhantomLabel.InferiorVenaCava => pv ? 140 : 40,
            PhantomLabel.PortalVein => pv ? 175 : 42,
            PhantomLabel.Heart => pv ? 155 : 42,
            PhantomLabel.Airway => -1000,
            PhantomLabel.Esophagus => pv ? 55 : 42,
            PhantomLabel.RenalPelvis => 10,
            PhantomLabel.PulmonaryArtery => pv ? 150 : 42,
            PhantomLabel.RenalVein => pv ? 150 : 40,
            _ => 0,
        };
    }

    /// <summary>Peak amplitude (HU) of the smooth parenchymal texture added inside the label.</summary>
    public static double Texture(PhantomLabel label) => label switch
    {
        PhantomLabel.SubcutaneousFat or PhantomLabel.VisceralFat => 10,
        PhantomLabel.Muscle => 9,
        PhantomLabel.Liver or PhantomLabel.Spleen => 6,
        PhantomLabel.KidneyCortex or PhantomLabel.KidneyMedulla => 6,
        PhantomLabel.Pancreas => 14,
        PhantomLabel.Lung => 16,
        PhantomLabel.Vertebra or PhantomLabel.Rib => 45,
        _ => 3,
    };
}
