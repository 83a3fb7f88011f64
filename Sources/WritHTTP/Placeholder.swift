import WritCore
import Hummingbird
import Prometheus
