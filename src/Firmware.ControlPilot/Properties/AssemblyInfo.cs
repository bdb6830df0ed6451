using System.Reflection;

[assembly: AssemblyTitle("Firmware.ControlPilot")]
[assembly: AssemblyDescription("INDRA Smart PRO: IEC 61851-1 control pilot, session sequencing and the current arbiter (portable)")]
[assembly: AssemblyCompany("INDRA")]
[assembly: AssemblyProduct("IndraSmartPro")]
[assembly: AssemblyVersion("0.1.0.0")]
