package io.sensorfleet.console.architecture;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.quarkus.runtime.ShutdownEvent;
import io.sensorfleet.console.agentplane.AgentPlaneServer;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import org.junit.jupiter.api.Test;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * When the console stops, the agent plane closes before anything else shuts down: a heartbeat or a
 * settings acknowledgement answered after the buffers' last flush would be lost, and a sensor
 * answered by a stopping console is left on it.
 */
class ShutdownOrderTest {
    /** CDI's priority of an observer without {@code @Priority}. */
    private static final int DEFAULT = Interceptor.Priority.APPLICATION + 500;

    private record Observer(Method method, int priority) {
    }

    @Test
    void theAgentPlaneClosesBeforeEveryOtherShutdownObserver() {
        List<Observer> observers = new ArrayList<>();
        for (JavaClass c : new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.sensorfleet.console")) {
            for (Method m : c.reflect().getDeclaredMethods()) {
                for (int i = 0; i < m.getParameterCount(); i++) {
                    if (m.getParameterTypes()[i] == ShutdownEvent.class && has(m.getParameterAnnotations()[i], Observes.class)) {
                        observers.add(new Observer(m, priority(m.getParameterAnnotations()[i])));
                    }
                }
            }
        }
        List<Observer> agentPlane = observers.stream()
                .filter(o -> o.method().getDeclaringClass() == AgentPlaneServer.class).toList();
        assertEquals(1, agentPlane.size(), "the agent plane observes the shutdown once: " + observers);
        assertTrue(observers.size() > 3, "the other observers were found too: " + observers);
        int first = agentPlane.getFirst().priority();
        for (Observer o : observers) {
            if (o.method().getDeclaringClass() != AgentPlaneServer.class) {
                assertTrue(first < o.priority(), o.method() + " must run after the agent plane closed");
            }
        }
    }

    private static boolean has(Annotation[] annotations, Class<? extends Annotation> type) {
        for (Annotation a : annotations) {
            if (a.annotationType() == type) {
                return true;
            }
        }
        return false;
    }

    private static int priority(Annotation[] annotations) {
        for (Annotation a : annotations) {
            if (a instanceof Priority p) {
                return p.value();
            }
        }
        return DEFAULT;
    }
}
