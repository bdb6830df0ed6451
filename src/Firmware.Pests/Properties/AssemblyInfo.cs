using System.Reflection;

[assembly: AssemblyTitle("Firmware.Pests")]
[assembly: AssemblyDescription("INDRA Smart PRO: PEST protection: PEN-fault detection, latched trips, weld and 6 mA DC monitoring (portable)")]
[assembly: AssemblyCompany("INDRA")]
[assembly: AssemblyProduct("IndraSmartPro")]
[assembly: AssemblyVersion("0.1.0.0")]
