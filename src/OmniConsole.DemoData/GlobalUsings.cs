// The generator writes the domain's own rows: its model and data access are in scope everywhere here.
global using OmniConsole.Core;
global using OmniConsole.Core.Data;
