import { z } from 'zod';

import type { DomainEvent } from '../shared/events';
import { idSchema, instantSchema, seatsSchema, textSchema } from '../shared/schemas';
import { COMPENSATIONS, SAGA_STEPS } from './saga-steps';

const stepNameSchema = z.enum(SAGA_STEPS);
const compensationSchema = z.enum(COMPENSATIONS);
const compensationsSchema = z.array(compensationSchema).readonly();
/** Saga texts come from the steps' outcomes and the callers' reasons; the saga doesn't require them non-empty. */
const sagaText = z.string();
/** A ref a step produced, or null before it; absent reads as null, as the read side has always taken it. */
const refSchema = (value: z.ZodString) => value.nullable().default(null);

export const SagaStartedPayload = z
  .object({
    sagaId: idSchema,
    customerId: idSchema,
    showtimeId: idSchema,
    seats: seatsSchema,
    startedAt: instantSchema,
  })
  .readonly();
export type SagaStartedPayload = z.infer<typeof SagaStartedPayload>;

export const StepCompletedPayload = z
  .object({
    sagaId: idSchema,
    stepName: stepNameSchema,
    stepNumber: z.number().int().min(1),
    message: sagaText,
    reservationId: refSchema(idSchema),
    paymentId: refSchema(idSchema),
    ticketId: refSchema(idSchema),
    ticketNumber: refSchema(textSchema),
  })
  .readonly();
export type StepCompletedPayload = z.infer<typeof StepCompletedPayload>;

export const StepFailedPayload = z
  .object({
    sagaId: idSchema,
    stepName: stepNameSchema,
    stepNumber: z.number().int().min(1),
    reason: sagaText,
    possiblyApplied: z.boolean(),
    compensations: compensationsSchema, // in the order they will run
  })
  .readonly();
export type StepFailedPayload = z.infer<typeof StepFailedPayload>;

export const CompensationCompletedPayload = z
  .object({ sagaId: idSchema, compensation: compensationSchema, message: sagaText })
  .readonly();
export type CompensationCompletedPayload = z.infer<typeof CompensationCompletedPayload>;

export const SagaCompletedPayload = z
  .object({
    sagaId: idSchema,
    customerId: idSchema,
    showtimeId: idSchema,
    reservationId: idSchema,
    paymentId: idSchema,
    ticketId: idSchema,
    ticketNumber: textSchema,
    completedAt: instantSchema,
  })
  .readonly();
export type SagaCompletedPayload = z.infer<typeof SagaCompletedPayload>;

export const SagaCompensatedPayload = z
  .object({
    sagaId: idSchema,
    customerId: idSchema,
    showtimeId: idSchema,
    reason: sagaText,
    failedStep: stepNameSchema,
    compensations: compensationsSchema,
    completedAt: instantSchema,
  })
  .readonly();
export type SagaCompensatedPayload = z.infer<typeof SagaCompensatedPayload>;

export const SagaFailedPayload = z
  .object({
    sagaId: idSchema,
    reason: sagaText,
    abandonReason: sagaText,
    pendingCompensations: compensationsSchema,
    failedAt: instantSchema,
  })
  .readonly();
export type SagaFailedPayload = z.infer<typeof SagaFailedPayload>;

export type SagaStarted = DomainEvent<'SagaStarted', SagaStartedPayload>;
export type StepCompleted = DomainEvent<'StepCompleted', StepCompletedPayload>;
/** The moment the saga turns to compensation. */
export type StepFailed = DomainEvent<'StepFailed', StepFailedPayload>;
/** One compensation done (a read model can show the rollback). */
export type CompensationCompleted = DomainEvent<'CompensationCompleted', CompensationCompletedPayload>;
export type SagaCompleted = DomainEvent<'SagaCompleted', SagaCompletedPayload>;
export type SagaCompensated = DomainEvent<'SagaCompensated', SagaCompensatedPayload>;
/** Compensation abandoned, needs a person. */
export type SagaFailed = DomainEvent<'SagaFailed', SagaFailedPayload>;

export type SagaEvent =
  | SagaStarted
  | StepCompleted
  | StepFailed
  | CompensationCompleted
  | SagaCompleted
  | SagaCompensated
  | SagaFailed;
