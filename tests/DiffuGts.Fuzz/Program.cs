namespace DiffuGts.Fuzz;

internal static class Program
{
    private static int Main() => 0;
}
