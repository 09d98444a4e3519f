/** Request schemas of the ticket purchase saga routes. */
import { z } from 'zod';
import { CardNumber } from '../../domain/payment/card-number';
import { isCardMethod, PAYMENT_METHODS, type PaymentMethod } from '../../domain/payment/payment-method';
import { PURCHASE_WORKFLOW_ID_PREFIX } from '../../workflows/purchase-contract';
import { idSchema, reasonSchema, safeText, seatsSchema } from './common';

const paymentMethodSchema = z.enum(PAYMENT_METHODS as [PaymentMethod, ...PaymentMethod[]], {
  error: `expected one of ${PAYMENT_METHODS.join(', ')}`,
});

/**
 * The purchase body. The card number is parsed into a CardNumber right here, so from this
 * point on it only ever exists inside that masking object, and a card method without one is refused.
 */
export const purchaseBodySchema = z
  .strictObject({
    showtimeId: idSchema,
    /** Optional: the caller's token says who buys; a body may only repeat it (api/auth/ownership.ts). */
    customerId: idSchema.optional(),
    /**
     * A hold of the caller's (`POST /api/reservations`) to buy: the purchase takes it over instead
     * of reserving anew. `seats` may then be left out (the held ones), or must be exactly those.
     */
    reservationId: idSchema.optional(),
    /** Required unless `reservationId` is given. */
    seats: seatsSchema.optional(),
    paymentMethod: paymentMethodSchema,
    // Long enough for any spacing of 19 digits; CardNumber.parse decides the rest.
    cardNumber: safeText(64).optional(),
    cardHolderName: safeText(100)
      .trim()
      .min(1, 'must not be empty')
      // The name travels into the workflow input: a card number typed into it would leak there.
      .refine((name) => !/\d{12,}/.test(name.replace(/[\s-]/g, '')), 'must not contain a card number')
      .optional(),
  })
  .refine((body) => body.seats !== undefined || body.reservationId !== undefined, {
    path: ['seats'],
    message: 'required unless reservationId is given',
    // Run even when other fields fail, so an empty body lists every missing field at once.
    when: ({ value }) => typeof value === 'object' && value !== null && !Array.isArray(value),
  })
  .transform((body, ctx) => {
    let card: CardNumber | null = null;
    if (isCardMethod(body.paymentMethod)) {
      if (body.cardNumber === undefined) {
        ctx.addIssue({ code: 'custom', path: ['cardNumber'], message: `required for ${body.paymentMethod}` });
        return z.NEVER;
      }
      const parsed = CardNumber.parse(body.cardNumber);
      if (!parsed.ok) {
        ctx.addIssue({ code: 'custom', path: ['cardNumber'], message: parsed.error.message });
        return z.NEVER;
      }
      card = parsed.value;
    } else if (body.cardNumber !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['cardNumber'], message: `not used with ${body.paymentMethod}` });
      return z.NEVER;
    }
    return {
      showtimeId: body.showtimeId,
      customerId: body.customerId,
      reservationId: body.reservationId ?? null,
      seats: body.seats,
      paymentMethod: body.paymentMethod,
      card,
      cardHolderName: body.cardHolderName ?? null,
    };
  });

/** The body as sent; `customerId` may be absent. */
export type PurchaseBody = z.output<typeof purchaseBodySchema>;
/** The purchase to run: the body with the buyer settled from the token, and the seats from the hold. */
export type PurchaseRequest = Omit<PurchaseBody, 'customerId' | 'seats'> & {
  readonly customerId: string;
  readonly seats: NonNullable<PurchaseBody['seats']>;
};

/**
 * The `Idempotency-Key` header: it becomes part of the workflow id, so it is limited to characters
 * that are safe there, in URLs and in log lines.
 */
export const idempotencyKeySchema = safeText(64).regex(
  /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/,
  "expected 1-64 characters of letters, digits, '.', '_', ':' or '-'",
);

/** `:sagaId` of the status and cancel routes: a purchase workflow id. */
export const sagaParamsSchema = z.object({
  sagaId: safeText(PURCHASE_WORKFLOW_ID_PREFIX.length + 64).regex(
    new RegExp(`^${PURCHASE_WORKFLOW_ID_PREFIX}[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$`),
    `expected a saga id like ${PURCHASE_WORKFLOW_ID_PREFIX}<key>`,
  ),
});

export const cancelPurchaseBodySchema = z
  .strictObject({ reason: reasonSchema.optional() })
  .optional()
  .transform((body) => ({ reason: body?.reason ?? 'Cancelled by the customer' }));
