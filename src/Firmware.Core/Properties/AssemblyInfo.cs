using System.Reflection;

[assembly: AssemblyTitle("Firmware.Core")]
[assembly: AssemblyDescription("INDRA Smart PRO: board seam, clock, scheduler, events and store (portable)")]
[assembly: AssemblyCompany("INDRA")]
[assembly: AssemblyProduct("IndraSmartPro")]
[assembly: AssemblyVersion("0.1.0.0")]
