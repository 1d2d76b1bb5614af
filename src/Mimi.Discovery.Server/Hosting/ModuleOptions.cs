using Microsoft.Extensions.Options;

namespace Mimi.Discovery.Server.Hosting;

/// <summary>How every module binds its options: one section, checked at start-up so a wrong setting stops the service by name.</summary>
internal static class ModuleOptions
{
    /// <summary>
    /// Binds <paramref name="section"/> to <typeparamref name="TOptions"/> and checks its data annotations, nested
    /// sections included, with the source-generated <typeparamref name="TAnnotations"/> (<c>[OptionsValidator]</c>,
    /// <c>[ValidateObjectMembers]</c>) at start-up.
    /// </summary>
    public static OptionsBuilder<TOptions> AddModuleOptions<TOptions, TAnnotations>(this IHostApplicationBuilder builder, string section)
        where TOptions : class
        where TAnnotations : class, IValidateOptions<TOptions>
    {
        builder.Services.AddSingleton<IValidateOptions<TOptions>, TAnnotations>();
        return builder.Services.AddOptions<TOptions>().Bind(builder.Configuration.GetSection(section)).ValidateOnStart();
    }

    /// <summary>Binds <paramref name="section"/> to options that carry no data annotations; validators come with <see cref="ValidatedBy"/>.</summary>
    public static OptionsBuilder<TOptions> AddModuleOptions<TOptions>(this IHostApplicationBuilder builder, string section)
        where TOptions : class =>
        builder.Services.AddOptions<TOptions>().Bind(builder.Configuration.GetSection(section)).ValidateOnStart();

    /// <summary>Adds a validator for what data annotations cannot say (files, URLs, settings that depend on each other).</summary>
    public static OptionsBuilder<TOptions> ValidatedBy<TOptions, TValidator>(this OptionsBuilder<TOptions> options)
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>
    {
        options.Services.AddSingleton<IValidateOptions<TOptions>, TValidator>();
        return options;
    }
}
