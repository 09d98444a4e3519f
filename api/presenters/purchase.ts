/** The purchase responses, built from the saga's result. */
import type { SagaStatusView } from '../../domain/purchase/ticket-purchase-saga';
import type { PurchaseFailed, PurchaseSucceeded } from '../../workflows/purchase-contract';
import type {
  PurchaseFailedBody,
  PurchasePendingBody,
  PurchaseSucceededBody,
  SagaStatusBody,
} from '../openapi/bodies/purchase';
import { decimalAmount } from './money';

export const purchaseStatusUrl = (sagaId: string): string =>
  `/api/ticketpurchase/${encodeURIComponent(sagaId)}/status`;

/** 200: the ticket details, plus the saga id so the client can look the saga up. */
export function purchaseSucceededBody(result: PurchaseSucceeded): PurchaseSucceededBody {
  return {
    success: true,
    ticketId: result.ticketId,
    ticketNumber: result.ticketNumber,
    reservationId: result.reservationId,
    paymentId: result.paymentId,
    movieTitle: result.movieTitle,
    screeningTime: result.screeningTime,
    seats: result.seats.map((s) => ({ row: s.row, number: s.number })),
    totalPrice: decimalAmount(result.totalAmountMinor, result.currency),
    sagaId: result.sagaId,
  };
}

/** 400: "Compensated: <reason>" and the saga id (the documented failure response). */
export function purchaseFailedBody(result: PurchaseFailed): PurchaseFailedBody {
  return { success: false, error: result.error, sagaId: result.sagaId };
}

/** 202: the saga is still running after the configured wait. */
export function purchasePendingBody(sagaId: string): PurchasePendingBody {
  return { success: true, pending: true, sagaId, status: 'InProgress', statusUrl: purchaseStatusUrl(sagaId) };
}

/** Exactly the documented status fields, whatever else a newer workflow might add to its query. */
export function sagaStatusBody(view: SagaStatusView): SagaStatusBody {
  return {
    sagaId: view.sagaId,
    status: view.status,
    currentStep: view.currentStep,
    totalSteps: view.totalSteps,
    failureReason: view.failureReason,
    createdAt: view.createdAt,
    completedAt: view.completedAt,
    ticketId: view.ticketId,
    ticketNumber: view.ticketNumber,
    stepLogs: view.stepLogs.map((l) => ({
      stepName: l.stepName,
      success: l.success,
      message: l.message,
      timestamp: l.timestamp,
    })),
  };
}
