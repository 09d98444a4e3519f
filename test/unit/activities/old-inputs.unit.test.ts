import { acceptOldInputs, loggedWorkflowId } from '../../../activities/support';
import type { ReleaseSeatsInput } from '../../../activities/types';

/** What a reservationHold workflow scheduled before the asking workflow's id was named `workflowId`. */
const oldShaped = {
  sagaId: 'reservation-2c1d',
  requestId: 'req-1',
  sagaEvents: [],
  reservationId: '2c1d',
  reason: 'Hold expired',
  fromHold: true,
};

const echo = () => acceptOldInputs({ releaseSeats: async (input: ReleaseSeatsInput) => input });

describe('activity inputs scheduled before sagaId became workflowId', () => {
  it('reach the activity with the workflow id under its new name, and nothing else changed', async () => {
    const { releaseSeats } = echo();
    const seen = await releaseSeats(oldShaped as unknown as ReleaseSeatsInput);
    const { sagaId, ...rest } = oldShaped;
    expect(seen).toEqual({ ...rest, workflowId: sagaId });
    expect(seen).not.toHaveProperty('sagaId');
  });

  it('leave an input of the new shape as it is', async () => {
    const { releaseSeats } = echo();
    const input: ReleaseSeatsInput = { ...oldShaped, workflowId: 'reservation-2c1d' };
    delete (input as { sagaId?: string }).sagaId;
    expect(await releaseSeats(input)).toBe(input);
  });

  it('keep every activity of the group, under its registered name', () => {
    const wrapped = acceptOldInputs({
      reserveSeats: async (input: { workflowId: string }) => input.workflowId,
      releaseSeats: async (input: { workflowId: string }) => input.workflowId,
    });
    expect(Object.keys(wrapped)).toEqual(['reserveSeats', 'releaseSeats']);
  });
});

describe('the log field of the asking workflow', () => {
  it('is sagaId for a purchase, which operators search by', () => {
    expect(loggedWorkflowId('purchase-key-1')).toEqual({ sagaId: 'purchase-key-1' });
  });

  it('is workflowId for a hold or a refund, which are not sagas', () => {
    expect(loggedWorkflowId('reservation-2c1d')).toEqual({ workflowId: 'reservation-2c1d' });
    expect(loggedWorkflowId('refund-9f3a')).toEqual({ workflowId: 'refund-9f3a' });
  });
});
