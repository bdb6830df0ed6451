using System.Reflection;

[assembly: AssemblyTitle("Firmware.Json")]
[assembly: AssemblyDescription("INDRA Smart PRO: allocation-free JSON reader and writer for MQTT, commissioning and OCPP (portable)")]
[assembly: AssemblyCompany("INDRA")]
[assembly: AssemblyProduct("IndraSmartPro")]
[assembly: AssemblyVersion("0.1.0.0")]
