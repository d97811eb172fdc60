using System.Text.Json;

namespace DiffuGts.Inference.Packages;

/// <summary>
/// One JSON object of the manifest read strictly: every key read is remembered, and <see cref="Close"/> refuses the ones
/// nobody asked for. Errors carry the dotted key path (docs/model-package.md §8 step 3).
/// </summary>
internal sealed class StrictJsonObject
{
    private readonly JsonElement _element;
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    public StrictJsonObject(JsonElement element, string path, string file)
    {
        Path = path;
        File = file;
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw Invalid(path, $"expected a JSON object, found {element.ValueKind}");
        }

        _element = element;
    }

    public string Path { get; }

    public string File { get; }

    public string KeyPath(string key) => Path.Length == 0 ? key : $"{Path}.{key}";

    public ModelPackageException Invalid(string keyPath, string detail) =>
        new(ModelPackageErrorCode.InvalidValue, File, keyPath, detail);

    public bool Has(string key) => _element.TryGetProperty(key, out var value) && value.ValueKind != JsonValueKind.Null;

    public JsonElement Required(string key)
    {
        _read.Add(key);
        if (!_element.TryGetProperty(key, out var value))
        {
            throw new ModelPackageException(ModelPackageErrorCode.MissingKey, File, KeyPath(key), "required key is missing");
        }

        return value;
    }

    public JsonElement? Optional(string key)
    {
        _read.Add(key);
        return _element.TryGetProperty(key, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;
    }

    public string String(string key) => AsString(Required(key), KeyPath(key));

    public string? OptionalString(string key) => Optional(key) is { } v ? AsString(v, KeyPath(key)) : null;

    public int Int(string key) => AsInt(Required(key), KeyPath(key));

    public int? OptionalInt(string key) => Optional(key) is { } v ? AsInt(v, KeyPath(key)) : null;

    public double Number(string key) => AsNumber(Required(key), KeyPath(key));

    public double? OptionalNumber(string key) => Optional(key) is { } v ? AsNumber(v, KeyPath(key)) : null;

    public bool Bool(string key)
    {
        var value = Required(key);
        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Invalid(KeyPath(key), $"expected true or false, found {value.ValueKind}"),
        };
    }

    public StrictJsonObject Object(string key) => new(Required(key), KeyPath(key), File);

    public StrictJsonObject? OptionalObject(string key) => Optional(key) is { } v ? new StrictJsonObject(v, KeyPath(key), File) : null;

    public IReadOnlyList<JsonElement> Array(string key)
    {
        var value = Required(key);
        if (value.ValueKind != JsonValueKind.Array)
        {
            throw Invalid(KeyPath(key), $"expected an array, found {value.ValueKind}");
        }

        return [.. value.EnumerateArray()];
    }

    public int[] IntTriple(string key)
    {
        var items = Array(key);
        if (items.Count != 3)
        {
            throw Invalid(KeyPath(key), $"expected 3 values (x, y, z), found {items.Count}");
        }

        return [.. items.Select((e, n) => AsInt(e, $"{KeyPath(key)}[{n}]"))];
    }

    public double[] NumberTriple(string key)
    {
        var items = Array(key);
        if (items.Count != 3)
        {
            throw Invalid(KeyPath(key), $"expected 3 values (x, y, z), found {items.Count}");
        }

        return [.. items.Select((e, n) => AsNumber(e, $"{KeyPath(key)}[{n}]"))];
    }

    public IEnumerable<JsonProperty> Properties()
    {
        foreach (var property in _element.EnumerateObject())
        {
            _read.Add(property.Name);
            yield return property;
        }
    }

    /// <summary>Refuses every key of this object that no reader asked for.</summary>
    public void Close()
    {
        foreach (var property in _element.EnumerateObject())
        {
            if (!_read.Contains(property.Name))
            {
                throw new ModelPackageException(ModelPackageErrorCode.UnknownKey, File, KeyPath(property.Name), "unknown key");
            }
        }
    }

    public string AsString(JsonElement value, string keyPath) =>
        value.ValueKind == JsonValueKind.String ? value.GetString()! : throw Invalid(keyPath, $"expected a string, found {value.ValueKind}");

    public int AsInt(JsonElement value, string keyPath) =>
        value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var n) ? n : throw Invalid(keyPath, $"expected an integer, found {value}");

    public double AsNumber(JsonElement value, string keyPath)
    {
        if (value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var d) && double.IsFinite(d))
        {
            return d;
        }

        throw Invalid(keyPath, $"expected a finite number, found {value}");
    }
}
