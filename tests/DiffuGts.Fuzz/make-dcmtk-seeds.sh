#!/usr/bin/env bash
# Writes DCMTK-made seed inputs for a fuzz target: small images compressed with dcmcrle and dcmcjpeg.
#   make-dcmtk-seeds.sh TARGET SEED_DIR WORK_DIR
# part10 seeds are whole files; rle/jpeg seeds are one frame behind FuzzFrame's 8-byte envelope.
set -euo pipefail
target=$1 seeds=$2 work=$3
mkdir -p "$seeds" "$work"
cd "$work"

# name rows cols samples bits-allocated bits-stored signed
images=("gray16 16 12 1 16 12 0" "signed16 9 14 1 16 16 1" "gray8 10 10 1 8 8 0" "rgb8 6 8 3 8 8 0")
for spec in "${images[@]}"; do
    read -r name rows cols spp ba bs signed <<<"$spec"
    count=$((rows * cols * spp * ba / 8))
    # A ramp with every seventh byte random (fixed seed): runs for RLE, small and large differences for JPEG.
    LC_ALL=C awk -v n="$count" 'BEGIN { srand(5); for (i = 0; i < n; i++) printf "%c", (i % 7 == 0) ? int(rand() * 256) : int(i / 5) % 256 }' >"$name.raw"
    [[ $(stat -c %s "$name.raw") == "$count" ]] || { echo "seed pixels for $name are not $count bytes" >&2; exit 1; }
    photometric=MONOCHROME2
    [[ $spp == 3 ]] && photometric=RGB
    vr=OW
    [[ $ba == 8 ]] && vr=OB
    {
        echo "(0008,0016) UI =SecondaryCaptureImageStorage"
        echo "(0008,0018) UI [2.25.$((rows * 1000 + cols * 10 + spp))]"
        echo "(0008,0060) CS [OT]"
        echo "(0010,0010) PN [Fuzz^Seed]"
        echo "(0020,000d) UI [2.25.1]"
        echo "(0020,000e) UI [2.25.2]"
        echo "(0028,0002) US $spp"
        echo "(0028,0004) CS [$photometric]"
        [[ $spp == 3 ]] && echo "(0028,0006) US 0"
        echo "(0028,0010) US $rows"
        echo "(0028,0011) US $cols"
        echo "(0028,0100) US $ba"
        echo "(0028,0101) US $bs"
        echo "(0028,0102) US $((bs - 1))"
        echo "(0028,0103) US $signed"
        echo "(7fe0,0010) $vr =$name.raw"
    } >"$name.txt"
    dump2dcm +te "$name.txt" "$name-native.dcm"
    dcmcrle "$name-native.dcm" "$name-rle.dcm"
    dcmcjpeg +e1 "$name-native.dcm" "$name-jpeg1.dcm"
    dcmcjpeg +el +sv 6 "$name-native.dcm" "$name-jpeg6.dcm"

    envelope() { # rows cols flags bits-stored
        printf "\\x$(printf %02x $(($1 & 255)))\\x$(printf %02x $(($1 >> 8)))\\x$(printf %02x $(($2 & 255)))\\x$(printf %02x $(($2 >> 8)))"
        printf "\\x$(printf %02x "$3")\\x$(printf %02x "$4")\\x00\\x00"
    }
    flags=$(( (spp == 3 ? 1 : 0) | (ba == 16 ? 2 : 0) | (signed << 2) ))
    case $target in
        part10)
            cp "$name-native.dcm" "$name-rle.dcm" "$name-jpeg1.dcm" "$seeds/" ;;
        rle|jpeg)
            for kind in rle jpeg1 jpeg6; do
                [[ $target == rle && $kind != rle ]] && continue
                [[ $target == jpeg && $kind == rle ]] && continue
                mkdir -p "items-$name-$kind"
                dcmdump +L +W "items-$name-$kind" "$name-$kind.dcm" >/dev/null
                planar=$(dcmdump "$name-$kind.dcm" | awk '/^\(0028,0006\)/ {print $3}')
                f=$flags
                [[ ${planar:-0} == 1 ]] && f=$((flags | 8))
                { envelope "$rows" "$cols" "$f" "$bs"; cat "items-$name-$kind/$name-$kind.dcm.1.raw"; } >"$seeds/dcmtk-$name-$kind"
            done ;;
    esac
done
