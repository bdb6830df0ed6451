using System.Reflection;

[assembly: AssemblyTitle("Firmware.Metering")]
[assembly: AssemblyDescription("INDRA Smart PRO: true-RMS metering of the mains, CT and EV current (portable)")]
[assembly: AssemblyCompany("INDRA")]
[assembly: AssemblyProduct("IndraSmartPro")]
[assembly: AssemblyVersion("0.1.0.0")]
