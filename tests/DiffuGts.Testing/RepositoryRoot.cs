namespace DiffuGts.Testing;

/// <summary>The repository checkout the test binaries were built from (the folder holding DiffuGts.sln).</summary>
public static class RepositoryRoot
{
    public static string Find()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "DiffuGts.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("repository root (DiffuGts.sln) not found above the test binaries");
    }

    /// <summary>A path under the repository root.</summary>
    public static string Combine(params string[] parts) => Path.Combine([Find(), .. parts]);
}
