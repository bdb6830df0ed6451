using System.Reflection;

[assembly: AssemblyTitle("Firmware.Features")]
[assembly: AssemblyDescription("INDRA Smart PRO: charging features (curtailment, smart charging), each one task and one arbiter claim (portable)")]
[assembly: AssemblyCompany("INDRA")]
[assembly: AssemblyProduct("IndraSmartPro")]
[assembly: AssemblyVersion("0.1.0.0")]
