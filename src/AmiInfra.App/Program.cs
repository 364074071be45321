using AmiInfra.App;

return FactoryApp.Run(Console.Error);
