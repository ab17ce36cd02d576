/**
 * Every service name the Domain API resolves (Decision D9), in the order of the all-services answer.
 * All resolve to Parley's own host; `implemented` says whether Parley serves that API.
 */
export const KNOWN_SERVICES: ReadonlyArray<{ name: string; implemented: boolean }> = [
  { name: 'conversationVep', implemented: true },
  { name: 'agentVep', implemented: true },
  { name: 'engHistDomain', implemented: true },
  { name: 'smt', implemented: true },
  { name: 'accountConfigReadOnly', implemented: true },
  { name: 'accountConfigReadWrite', implemented: true },
  { name: 'acCdnDomain', implemented: true },
  { name: 'sentinel', implemented: false },
  { name: 'adminArea', implemented: false },
  { name: 'leDataReporting', implemented: true },
  { name: 'msgHist', implemented: false },
  { name: 'liveEngageUI', implemented: false },
  { name: 'visitorFeed', implemented: false },
  { name: 'etool', implemented: false },
  { name: 'asyncMessaging', implemented: false },
  { name: 'asyncMessagingEnt', implemented: false },
  { name: 'idp', implemented: false },
  { name: 'rtbf', implemented: false },
  { name: 'auditLog', implemented: false },
  { name: 'pusher', implemented: false },
  { name: 'msgEwtAPI', implemented: false },
  { name: 'msdkgw', implemented: false },
]

/** Service names are case-sensitive. */
export const isKnownService = (name: string): boolean => KNOWN_SERVICES.some((service) => service.name === name)
