/** The smoke test's activity (runs in the worker process, outside the workflow sandbox). */
export const smokeActivities = {
  async shout(text: string): Promise<string> {
    return text.toUpperCase();
  },
};

export type SmokeActivities = typeof smokeActivities;
