import { startFailed } from './containers';

const failed = (reason: string): string => startFailed('RabbitMQ', 'rabbitmq:3.13', 'HERALD_RABBITMQ_IMAGE', 'HERALD_AMQP_URL', new Error(reason)).message;

describe('the error when a broker container does not start', () => {
  it.each([
    ['Docker is down', 'connect ENOENT /var/run/docker.sock', /start the Docker daemon.*or set HERALD_AMQP_URL to use a running broker/],
    ['the image cannot be pulled', 'pull access denied for rabbitmq, repository does not exist', /make an image available to Docker.*set HERALD_RABBITMQ_IMAGE to its name, or set HERALD_AMQP_URL/],
  ])('when %s, gives a remedy that names no path inside Herald', (_what, reason, remedy) => {
    const message = failed(reason);
    expect(message).toMatch(/^Failed to start RabbitMQ \(rabbitmq:3\.13\): /);
    expect(message).toMatch(remedy);
    expect(message).not.toMatch(/scripts\/|\.sh\b|adapters\/|src\//);
  });
});
