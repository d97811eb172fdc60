using System.Text.Json;
using DiffuGts.Node.Options;
using DiffuGts.Node.Routing;
using DiffuGts.Node.Storage;

namespace DiffuGts.Node.Assembly;

/// <summary>
/// Notices when a series is complete. DICOM has no "end of series" message, so a series is released once no instance of
/// it has arrived for <see cref="StorageOptions.SeriesIdleTimeout"/> (measured since the last received instance), or
/// when it has been receiving for <see cref="StorageOptions.MaxSeriesAge"/>. Time comes from a <see cref="TimeProvider"/>
/// so tests drive it. The series record is written durably when a series is first seen and when it is released; an
/// instance after release follows <see cref="StorageOptions.LateInstancePolicy"/> and is never dropped.
/// </summary>
public sealed class SeriesAssembler : IDisposable
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    private readonly SpoolPaths _paths;
    private readonly StorageOptions _options;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly Dictionary<SeriesKey, SeriesRecord> _series = [];
    private readonly SemaphoreSlim _persistGate = new(1, 1);

    public SeriesAssembler(SpoolPaths paths, StorageOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        _paths = paths;
        _options = options;
        _time = time;
    }

    /// <summary>What happened to the series because of one stored instance.</summary>
    public enum Arrival
    {
        NewSeries,
        SameSeries,
        LateAttached,
        LateRerun,
    }

    /// <summary>Records a durably stored instance. Writes the series record when the series is new or reopened.</summary>
    public async Task<Arrival> InstanceStoredAsync(SeriesAttributes attributes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        var now = _time.GetUtcNow();
        var key = new SeriesKey(attributes.CalledAeTitle, attributes.StudyInstanceUid, attributes.SeriesInstanceUid);
        SeriesRecord? toPersist = null;
        Arrival arrival;
        lock (_gate)
        {
            if (!_series.TryGetValue(key, out var record))
            {
                record = new SeriesRecord { Attributes = attributes, State = SeriesState.Receiving, FirstReceived = now, LastReceived = now, InstanceCount = 1 };
                arrival = Arrival.NewSeries;
                toPersist = record;
            }
            else if (record.State == SeriesState.Receiving)
            {
                record = record with { LastReceived = now, InstanceCount = record.InstanceCount + 1 };
                arrival = Arrival.SameSeries;
            }
            else if (_options.LateInstancePolicy == LateInstancePolicy.Rerun)
            {
                // Reopen: the quiet timer starts again and the series is released once more with everything it now holds.
                record = record with { State = SeriesState.Receiving, FirstReceived = now, LastReceived = now, InstanceCount = record.InstanceCount + 1 };
                arrival = Arrival.LateRerun;
                toPersist = record;
            }
            else
            {
                record = record with { LastReceived = now, InstanceCount = record.InstanceCount + 1 };
                arrival = Arrival.LateAttached;
                toPersist = record;
            }

            _series[key] = record;
        }

        if (toPersist is not null)
        {
            await PersistAsync(toPersist, cancellationToken);
        }

        return arrival;
    }

    /// <summary>Releases every series that is quiet or too old, persisting the new state before returning it.</summary>
    public async Task<IReadOnlyList<SeriesRecord>> ReleaseDueAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        List<SeriesRecord> due;
        lock (_gate)
        {
            due = [.. _series.Values.Where(r => r.State == SeriesState.Receiving &&
                (now - r.LastReceived >= _options.SeriesIdleTimeout || now - r.FirstReceived >= _options.MaxSeriesAge))];
            for (var i = 0; i < due.Count; i++)
            {
                due[i] = due[i] with { State = SeriesState.Released, ReleaseCount = due[i].ReleaseCount + 1 };
                _series[due[i].Key] = due[i];
            }
        }

        foreach (var record in due)
        {
            await PersistAsync(record, cancellationToken);
        }

        return due;
    }

    /// <summary>Records, durably, that routing wrote the jobs of <paramref name="release"/> of the series.</summary>
    public async Task RoutedAsync(SeriesKey key, int release, CancellationToken cancellationToken)
    {
        SeriesRecord? record;
        lock (_gate)
        {
            if (!_series.TryGetValue(key, out record) || record.RoutedRelease >= release)
            {
                return;
            }

            record = record with { RoutedRelease = release };
            _series[key] = record;
        }

        await PersistAsync(record, cancellationToken);
    }

    /// <summary>Released series whose routing had not finished when the node stopped: recovery routes them again.</summary>
    public IReadOnlyList<SeriesRecord> ReleasedUnrouted()
    {
        lock (_gate)
        {
            return [.. _series.Values.Where(r => r.State == SeriesState.Released && r.RoutedRelease < r.ReleaseCount)];
        }
    }

    /// <summary>The series currently tracked (a snapshot, for health and tests).</summary>
    public IReadOnlyList<SeriesRecord> Snapshot()
    {
        lock (_gate)
        {
            return [.. _series.Values];
        }
    }

    /// <summary>
    /// Reloads the series records after a restart. A series that was receiving when the node stopped starts its quiet
    /// and age timers again now: it is released one idle timeout after the restart unless more instances arrive. Its
    /// instance count is taken from the spool, since the record is written only when a series is first seen.
    /// </summary>
    public async Task<int> RecoverAsync(CancellationToken cancellationToken)
    {
        if (!Directory.Exists(_paths.Series))
        {
            return 0;
        }

        var now = _time.GetUtcNow();
        var count = 0;
        foreach (var file in Directory.EnumerateFiles(_paths.Series, "*.json", SearchOption.AllDirectories))
        {
            await using var stream = File.OpenRead(file);
            var record = await JsonSerializer.DeserializeAsync<SeriesRecord>(stream, Json, cancellationToken)
                ?? throw new InvalidDataException($"series record {file} is empty");
            if (record.State == SeriesState.Receiving)
            {
                var folder = _paths.SeriesFolder(record.Attributes.StudyInstanceUid, record.Attributes.SeriesInstanceUid);
                var spooled = Directory.Exists(folder) ? Directory.EnumerateFiles(folder, "*.dcm").Count() : 0;
                record = record with { FirstReceived = now, LastReceived = now, InstanceCount = spooled };
            }

            lock (_gate)
            {
                _series[record.Key] = record;
            }

            count++;
        }

        return count;
    }

    /// <summary>
    /// Writes the series' current record. Writes are serialised and always take the newest in-memory state, so two
    /// racing updates can never leave an older record on disk than the one in memory.
    /// </summary>
    private async Task PersistAsync(SeriesRecord changed, CancellationToken cancellationToken)
    {
        await _persistGate.WaitAsync(cancellationToken);
        try
        {
            SeriesRecord current;
            lock (_gate)
            {
                current = _series.GetValueOrDefault(changed.Key) ?? changed;
            }

            var path = _paths.SeriesRecord(current.Attributes.CalledAeTitle, current.Attributes.StudyInstanceUid, current.Attributes.SeriesInstanceUid);
            var bytes = JsonSerializer.SerializeToUtf8Bytes(current, Json);
            await DurableFile.WriteAllBytesAsync(path, bytes, _options.FlushToDisk, cancellationToken);
        }
        finally
        {
            _persistGate.Release();
        }
    }

    public void Dispose() => _persistGate.Dispose();
}
