using System.Collections;
using DiffuGts.Dicom.Dictionary;
using DiffuGts.Dicom.Text;

namespace DiffuGts.Dicom;

/// <summary>
/// A dataset (PS3.5 §7): data elements in ascending tag order. The same type holds a file's main dataset, its file meta
/// information, a DIMSE command set and every sequence item. Typed access is in <c>DicomDataset.Get.cs</c> and
/// <c>DicomDataset.Set.cs</c>; text is decoded with the Specific Character Set in force (the item's own, else its
/// parent's: PS3.5 §6.1.2.3 and PS3.3 C.12.1.1.2).
/// </summary>
public sealed partial class DicomDataset : IEnumerable<DicomItem>
{
    private readonly List<DicomItem> items = [];
    private DicomCharacterSet? characterSet;

    public DicomDataset()
    {
    }

    public DicomDataset(IEnumerable<DicomItem> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        foreach (var item in items)
        {
            AddOrUpdate(item);
        }
    }

    /// <summary>The dataset whose sequence holds this item; its character set applies when this item declares none.</summary>
    public DicomDataset? Parent { get; internal set; }

    public int Count => items.Count;

    /// <summary>The character set that decodes this dataset's text (PS3.3 C.12.1.1.2).</summary>
    public DicomCharacterSet CharacterSet
    {
        get
        {
            if (characterSet is not null)
            {
                return characterSet;
            }

            if (TryGetItem(DicomTags.SpecificCharacterSet, out var item) && item is DicomElement element)
            {
                // (0008,0005) is CS, always in the default repertoire, so decoding it needs no character set.
                characterSet = DicomCharacterSet.FromTerms(DicomValueCodec.DecodeStrings(element, DicomCharacterSet.Default));
                return characterSet;
            }

            return Parent?.CharacterSet ?? DicomCharacterSet.Default;
        }
    }

    public bool Contains(DicomTag tag) => IndexOf(tag) >= 0;

    public bool TryGetItem(DicomTag tag, out DicomItem item)
    {
        var index = IndexOf(tag);
        item = index >= 0 ? items[index] : null!;
        return index >= 0;
    }

    public DicomItem GetItem(DicomTag tag) =>
        TryGetItem(tag, out var item) ? item : throw MissingTag(tag);

    /// <summary>Adds an element, sequence or fragment sequence; a tag that is already present is an error.</summary>
    public DicomDataset Add(DicomItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        var index = IndexOf(item.Tag);
        if (index >= 0)
        {
            throw new ArgumentException($"{Describe(item.Tag)} is already in the dataset", nameof(item));
        }

        Insert(~index, item);
        return this;
    }

    /// <summary>Adds an item, replacing any item with the same tag.</summary>
    public DicomDataset AddOrUpdate(DicomItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        var index = IndexOf(item.Tag);
        if (index >= 0)
        {
            items[index] = item;
            Adopt(item);
            Invalidate(item.Tag);
        }
        else
        {
            Insert(~index, item);
        }

        return this;
    }

    public bool Remove(DicomTag tag)
    {
        var index = IndexOf(tag);
        if (index < 0)
        {
            return false;
        }

        items.RemoveAt(index);
        Invalidate(tag);
        return true;
    }

    /// <summary>Removes every item that matches; e.g. <c>RemoveAll(i => i.Tag.IsPrivate)</c>.</summary>
    public int RemoveAll(Predicate<DicomItem> match)
    {
        var removed = items.RemoveAll(match);
        characterSet = null;
        return removed;
    }

    public void Clear()
    {
        items.Clear();
        characterSet = null;
    }

    /// <summary>A deep copy of the item list; element buffers are shared (they are immutable).</summary>
    public DicomDataset Clone()
    {
        var copy = new DicomDataset();
        foreach (var item in items)
        {
            copy.items.Add(item is DicomSequence sequence
                ? new DicomSequence(sequence.Tag, sequence.Items.Select(i => i.Clone()))
                : item);
        }

        foreach (var sequence in copy.items.OfType<DicomSequence>())
        {
            copy.Adopt(sequence);
        }

        return copy;
    }

    public IEnumerator<DicomItem> GetEnumerator() => items.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Appends when the tag follows the last one (the reader's case), else inserts in order.</summary>
    internal void AddInOrder(DicomItem item)
    {
        if (items.Count == 0 || items[^1].Tag < item.Tag)
        {
            items.Add(item);
            Adopt(item);
            Invalidate(item.Tag);
            return;
        }

        AddOrUpdate(item);
    }

    internal static string Describe(DicomTag tag) =>
        DicomDictionary.GetKeyword(tag) is { } keyword ? $"{tag} {keyword}" : tag.ToString();

    private static KeyNotFoundException MissingTag(DicomTag tag) => new($"{Describe(tag)} is not in the dataset");

    private int IndexOf(DicomTag tag)
    {
        // Elements are kept sorted (PS3.5 §7.1), so a binary search finds a tag or the place it belongs.
        int lo = 0, hi = items.Count - 1;
        while (lo <= hi)
        {
            var mid = lo + ((hi - lo) >> 1);
            var c = items[mid].Tag.CompareTo(tag);
            if (c == 0)
            {
                return mid;
            }

            if (c < 0)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return ~lo;
    }

    private void Insert(int index, DicomItem item)
    {
        items.Insert(index, item);
        Adopt(item);
        Invalidate(item.Tag);
    }

    private void Adopt(DicomItem item)
    {
        if (item is DicomSequence sequence)
        {
            foreach (var child in sequence.Items)
            {
                child.Parent = this;
            }
        }
    }

    private void Invalidate(DicomTag tag)
    {
        if (tag == DicomTags.SpecificCharacterSet)
        {
            characterSet = null;
        }
    }
}
