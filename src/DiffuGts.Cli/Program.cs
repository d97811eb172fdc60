using DiffuGts.Cli;

return await CliApplication.RunAsync(args);
