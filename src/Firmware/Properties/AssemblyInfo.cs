using System.Reflection;

[assembly: AssemblyTitle("Firmware")]
[assembly: AssemblyDescription("INDRA Smart PRO: the charger application: composition of the modules and the tasks (portable)")]
[assembly: AssemblyCompany("INDRA")]
[assembly: AssemblyProduct("IndraSmartPro")]
[assembly: AssemblyVersion("0.1.0.0")]
