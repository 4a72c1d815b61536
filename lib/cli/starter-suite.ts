/** The `base_url` a starter suite is written with; `--var base_url=...` points it elsewhere. */
export const STARTER_BASE_URL = 'http://localhost:8080';

/**
 * The commented `rocketship.yaml` that `rocketship init` writes: a health check, and a job
 * submitted then polled until it completes, against `{{ .vars.base_url }}`. Its first line gives
 * editors the suite's JSON Schema (`schema`: a path relative to the file, or a URL).
 *
 * The API it expects: `GET /health` answers 200; `POST /jobs` answers 200, 201 or 202 with
 * `{"job_id": ...}`; `GET /jobs/{job_id}` answers `{"status": "running"}` until
 * `{"status": "completed", "result": ...}` (or `"failed"`).
 */
export function starterSuite(schema: string): string {
  return `# yaml-language-server: $schema=${schema}
#
# A Rocketship suite: what to send, and what must come back. The line above gives editors (VS
# Code with the YAML extension, or any YAML language server) completion, hover text and errors
# for this file, from the JSON Schema of the format.
#
#   rocketship validate rocketship.yaml                 check it, nothing is sent
#   rocketship run rocketship.yaml                      run it against base_url below
#   rocketship run rocketship.yaml --var base_url=https://staging.example.com
#   rocketship run rocketship.yaml --report junit=reports/junit.xml
name: "My API"
vars:
  base_url: "${STARTER_BASE_URL}"          # read as {{ .vars.base_url }}; --var base_url=... wins

tests:
  - name: "Health check"
    steps:
      - name: "GET /health"
        plugin: http
        config:
          method: GET
          url: "{{ .vars.base_url }}/health"
          timeout: "5s"                      # for this request (default 30s)
        assertions:                          # all must hold
          - type: status_code
            expected: 200

  - name: "Submit a job, then wait for it"
    steps:
      # Start the work; the response carries the job's id.
      - name: "Submit job"
        plugin: http
        config:
          method: POST
          url: "{{ .vars.base_url }}/jobs"
          body:                              # a YAML map is sent as JSON
            data: "process this"
        assertions:
          - type: status_code
            one_of: [200, 201, 202]
        save:
          - json_path: ".job_id"             # this value of the JSON body...
            as: job_id                       # ...is {{ job_id }} in the steps after this one

      # Ask for the job until it is completed. The first request goes at once; the next one
      # an interval after each answer, the interval growing by backoff_coefficient up to
      # max_interval. The step passes when all conditions hold, and fails when a fail condition
      # holds, after max_attempts requests, or when the timeout is up (whichever comes first).
      - name: "Wait for the job to complete"
        plugin: http
        config:
          method: GET
          url: "{{ .vars.base_url }}/jobs/{{ job_id }}"
          polling:
            interval: "1s"
            backoff_coefficient: 1.5
            max_interval: "10s"
            timeout: "2m"                    # for the whole poll, from the first request
            max_attempts: 30                 # requests, the first included
            conditions:
              - type: status_code
                expected: 200
              - type: json_path
                path: ".status"
                expected: "completed"
            fail_conditions:
              - type: json_path
                path: ".status"
                expected: "failed"
        assertions:                          # checked once, on the answer that ended the poll
          - type: json_path
            path: ".result"
            exists: true
`;
}
