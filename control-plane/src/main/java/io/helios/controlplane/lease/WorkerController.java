package io.helios.controlplane.lease;

import org.springframework.data.domain.Limit;
import org.springframework.web.bind.annotation.RequestParam;
import io.helios.service.web.Paging;
import io.helios.service.web.ListPage;
import io.helios.service.web.ApiException;
import io.helios.service.web.ProblemResponses;
import io.helios.controlplane.security.WorkerIdentity;
import io.helios.core.lease.Heartbeat;
import io.helios.security.WorkerIdClaim;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;


/** The worker protocol: {@code POST /api/v1/workers/{workerId}/heartbeat}, and the worker registry. */
@RestController
@RequestMapping("/api/v1/workers")
@Tag(name = "Workers", description = "Worker registry and the lease protocol")
class WorkerController {

    private final HeartbeatService heartbeats;
    private final WorkerRepository workers;

    WorkerController(HeartbeatService heartbeats, WorkerRepository workers) {
        this.heartbeats = heartbeats;
        this.workers = workers;
    }

    @PostMapping("/{workerId}/heartbeat")
    @Operation(summary = "Heartbeat of a worker",
            description = "Registers or refreshes the worker, stores its reports for leases it holds at the reported "
                    + "epoch, and answers every lease it holds after this beat. A lease missing from the answer is lost: "
                    + "the worker must stop it at once and report nothing more for it. Only the worker's own credential "
                    + "may call it: a token with the worker role that names this worker id (by default `sub` = "
                    + "`worker:<workerId>`); any other caller gets 403 `worker-identity`. Reports on leases the worker "
                    + "does not hold at the reported epoch are ignored.")
    @ProblemResponses({400, 403})
    Heartbeat.Response heartbeat(
            @Parameter(description = "Stable worker id: letters, digits, _ . : -, at most 128") @PathVariable String workerId,
            @Valid @RequestBody Heartbeat.Request request) {
        if (!WorkerIdClaim.valid(workerId)) {
            throw ApiException.invalid("workerId", "'" + workerId + "' is not a valid worker id");
        }
        // the worker id is the credential's: the path only has to agree with it
        String own = WorkerIdentity.require(workerId);
        if (request.capacity() < 0) {
            throw ApiException.invalid("capacity", "must be 0 or more");
        }
        return heartbeats.beat(own, request);
    }

    @GetMapping
    @Operation(summary = "List registered workers", description = "One page in id order; follow `next` for the rest.")
    @ProblemResponses({400})
    ListPage<Worker> list(
            @Parameter(description = "Items per page, 1 to 1000 (default 100)") @RequestParam(required = false) Integer limit,
            @Parameter(description = "The `next` of the previous page") @RequestParam(required = false) String cursor) {
        return Paging.of(limit, cursor).collect(id -> id,
                (after, n) -> after == null ? workers.findAllByOrderByIdAsc(Limit.of(n))
                        : workers.findByIdGreaterThanOrderByIdAsc(after, Limit.of(n)),
                Worker::id, w -> true, w -> w);
    }
}
