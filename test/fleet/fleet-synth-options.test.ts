import { FleetSynthInterrupted } from '../../lib/fleet/fleet-synth-options';

describe('FleetSynthInterrupted', () => {
  test('says what interrupted the run and that the previous output is unchanged, with its folder', () => {
    const err = new FleetSynthInterrupted('SIGTERM', '/srv/fleet/dist');
    expect(err).toBeInstanceOf(Error);
    expect(err.name).toBe('FleetSynthInterrupted');
    expect(err.message).toBe(
      'interrupted (SIGTERM) before the output was replaced: nothing written; the previous output in /srv/fleet/dist is unchanged',
    );
  });
});
