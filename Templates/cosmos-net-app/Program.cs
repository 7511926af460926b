using System;

// An ordinary C# program. In the kernel it starts once the network is up (DHCP); its arguments are the words after
// "--" on the kernel command line (`dotnet run -- a b`). Returning from Main ends the run with its exit code.
Console.WriteLine("Hello from CosmosNetApp, a C# program running as its own kernel.");
Console.WriteLine("arguments: " + args.Length);
for (int i = 0; i < args.Length; i++) Console.WriteLine("  " + args[i]);
return 0;
