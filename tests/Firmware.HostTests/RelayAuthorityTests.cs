using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using IndraSmartPro.Board;
using IndraSmartPro.Safety;
using Xunit;

namespace IndraSmartPro.HostTests;

/// <summary>
/// Invariant S2 by type (docs/invariants.md): only <see cref="RelaySupervisor"/> is given the
/// relay drive (<see cref="IRelayDrive"/>, the closing capability). No type in the protection,
/// pilot, metering or feature assemblies, nor in the core outside the supervisor, can hold,
/// receive, return or implement it (or <see cref="IBoard"/>, which includes it): not as a field,
/// property, constructor or method parameter, return value, local variable, base type or
/// interface. Protection reads the weld sense through <see cref="IWeldSense"/> and trips through
/// the supervisor's trip methods.
/// </summary>
public class RelayAuthorityTests
{
    private static readonly string[] GuardedAssemblies =
    {
        "Firmware.Pests", "Firmware.ControlPilot", "Firmware.Metering", "Firmware.Features", "Firmware.Core",
    };

    [Fact]
    public void RelayDrive_ReachableOnlyFromTheSupervisor()
    {
        var offenders = new List<string>();
        foreach (string name in GuardedAssemblies)
        {
            foreach (Type type in Assembly.Load(name).GetTypes())
            {
                if (type == typeof(RelaySupervisor) || type == typeof(IRelayDrive) || type == typeof(IBoard))
                {
                    continue;
                }

                offenders.AddRange(Reaches(type).Select(where => type.FullName + ": " + where));
            }
        }

        Assert.True(offenders.Count == 0, "the relay drive is reachable outside RelaySupervisor:\n" + string.Join("\n", offenders));
    }

    [Fact]
    public void RelayDrive_Check_SeesTheSupervisorsOwnHold()
    {
        // The check must be able to fail: the supervisor itself is found holding the drive.
        Assert.Contains(Reaches(typeof(RelaySupervisor)), where => where.StartsWith("field", StringComparison.Ordinal));
        Assert.Contains(Reaches(typeof(RelaySupervisor)), where => where.StartsWith("constructor", StringComparison.Ordinal));
    }

    [Fact]
    public void Protection_TakesTheWeldSenseNotTheDrive()
    {
        var pests = Assembly.Load("Firmware.Pests");
        bool weldSenseUsed = pests.GetTypes()
            .SelectMany(t => t.GetConstructors(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance))
            .Any(c => c.GetParameters().Any(p => p.ParameterType == typeof(IWeldSense)));
        Assert.True(weldSenseUsed);
    }

    private static bool IsDrive(Type type)
    {
        while (type.HasElementType)
        {
            type = type.GetElementType();
        }

        return typeof(IRelayDrive).IsAssignableFrom(type);
    }

    private static IEnumerable<string> Reaches(Type type)
    {
        const BindingFlags All = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        if (IsDrive(type))
        {
            yield return "implements or derives from the drive";
        }

        foreach (FieldInfo field in type.GetFields(All).Where(f => IsDrive(f.FieldType)))
        {
            yield return "field " + field.Name;
        }

        foreach (PropertyInfo property in type.GetProperties(All).Where(p => IsDrive(p.PropertyType)))
        {
            yield return "property " + property.Name;
        }

        foreach (MethodBase method in type.GetConstructors(All).Cast<MethodBase>().Concat(type.GetMethods(All)))
        {
            string kind = method is ConstructorInfo ? "constructor" : "method " + method.Name;
            if (method is MethodInfo info && IsDrive(info.ReturnType))
            {
                yield return kind + " returns it";
            }

            foreach (ParameterInfo parameter in method.GetParameters().Where(p => IsDrive(p.ParameterType)))
            {
                yield return kind + " parameter " + parameter.Name;
            }

            MethodBody body = method.GetMethodBody();
            if (body != null && body.LocalVariables.Any(l => IsDrive(l.LocalType)))
            {
                yield return kind + " local variable";
            }
        }
    }
}
