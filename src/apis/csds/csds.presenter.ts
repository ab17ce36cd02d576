import { KNOWN_SERVICES } from '../../core/csds/service-names.ts'

export interface BaseUriEntry {
  service: string
  account: string
  baseURI: string
}

/** Single-service answer: `{"service","account","baseURI"}` in LivePerson's key order. */
export const presentBaseUri = (service: string, account: string, baseURI: string): BaseUriEntry => ({
  service,
  account,
  baseURI,
})

/** All-services answer: one entry per known name, in table order. */
export const presentAllBaseUris = (account: string, baseURI: string): { baseURIs: BaseUriEntry[] } => ({
  baseURIs: KNOWN_SERVICES.map((service) => presentBaseUri(service.name, account, baseURI)),
})
