import { acceptedRequests } from './load-accounting';

describe('acceptedRequests', () => {
  it('counts the requests still on the wire when the warm-up and the run stopped', () => {
    // 32 connections, a warm-up and a run: 64 written requests were never answered.
    expect(acceptedRequests({ sent: 10_064, answered: 10_000, refused: 0, errors: 0 })).toEqual({
      accepted: 10_064,
      inFlightAtStop: 64,
    });
  });

  it('leaves out the refused requests and those lost to a connection error', () => {
    expect(acceptedRequests({ sent: 1_070, answered: 1_000, refused: 30, errors: 6 })).toEqual({
      accepted: 1_034,
      inFlightAtStop: 64,
    });
  });

  it('never counts a negative number in flight', () => {
    expect(acceptedRequests({ sent: 100, answered: 100, refused: 0, errors: 3 })).toEqual({
      accepted: 100,
      inFlightAtStop: 0,
    });
  });
});
