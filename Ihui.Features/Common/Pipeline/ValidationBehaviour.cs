using FluentValidation;
using Ihui.Features.Common.Errors;
using Mediator;

namespace Ihui.Features.Common.Pipeline;

/// <summary>Runs the message's FluentValidation rules; 400 with the field messages, and the vendor is never called.</summary>
public sealed class ValidationBehaviour<TMessage, TResponse>(IEnumerable<IValidator<TMessage>> validators)
    : IPipelineBehavior<TMessage, TResponse>
    where TMessage : IMessage
{
    private readonly IValidator<TMessage>[] _validators = validators as IValidator<TMessage>[] ?? validators.ToArray();

    public async ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        await Validation.ThrowIfInvalidAsync(_validators, message, cancellationToken);
        return await next(message, cancellationToken);
    }
}

public static class Validation
{
    public static async ValueTask ThrowIfInvalidAsync<T>(IValidator<T>[] validators, T message, CancellationToken ct)
    {
        // Every text field has a maximum (TextLimits), whether or not the slice has a validator.
        var errors = message is null ? null : Ihui.Features.Common.Validation.TextLimits.Problems(message);
        foreach (var validator in validators)
        {
            var result = await validator.ValidateAsync(message, ct);
            foreach (var failure in result.Errors)
            {
                if (errors?.Any(e => e.Field == failure.PropertyName && e.Type == "string_too_long") == true) continue; // one message per field
                (errors ??= []).Add(new FieldError(failure.PropertyName, failure.ErrorMessage)
                {
                    Location = failure.CustomState as string ?? "body", Type = failure.ErrorCode,
                });
            }
        }
        if (errors is not null) throw new ValidationFailedException(errors);
    }
}
