"""Casework's FHIR R4 API, as NHS systems speak it: a GP's system sends a referral as a
transaction Bundle (Patient, ServiceRequest, Task) and follows it on the Task.

- codes: the systems and value sets the API uses, and the bindings checked by hand;
- resources: a person and a referral as FHIR resources (what goes out), each validated with
  fhir.resources' R4B models before it is sent;
- inbound: a transaction Bundle read and checked (what comes in), nothing written;
- search: the search parameters (patient.identifier, status, _lastUpdated);
- actions: the writes (a received referral, its patient matched or added) and the audit of
  every read, in one transaction each;
- views and urls: thin views under /api/fhir/, signed with an API token (models.ApiToken).

Security boundary: a token sees only the referrals its organisation sent (requester) or
received (performer), and the patients of those; anything else is a 404, as if it did not
exist.
"""
